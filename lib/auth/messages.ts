import { getTranslations } from 'next-intl/server';

const BASE = 'http://lectern.invalid';

/**
 * Only a path on this same host may be a post-sign-in destination (no open redirects). Browsers drop
 * tabs and newlines and read `\\` as `/`, so those are refused before the URL is resolved.
 */
export function safeCallbackPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 500 || !raw.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  try {
    const url = new URL(raw, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

/** What the sign-in form says for an Auth.js failure code ('invalid' or 'locked:<minutes>'). */
export async function signInFailureMessage(error: { type?: string; code?: string }): Promise<string> {
  const t = await getTranslations('actions');
  const code = 'code' in error ? String(error.code ?? '') : '';
  const locked = /^locked:(\d+)$/.exec(code);
  return locked ? t('signInLocked', { minutes: Number(locked[1]) }) : t('signInInvalid');
}
