import { getTranslations } from 'next-intl/server';

/** Only same-site relative paths may be a post-sign-in destination (no open redirects). */
export function safeCallbackPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw.slice(0, 500);
}

/** What the sign-in form says for an Auth.js failure code ('invalid' or 'locked:<minutes>'). */
export async function signInFailureMessage(error: { type?: string; code?: string }): Promise<string> {
  const t = await getTranslations('actions');
  const code = 'code' in error ? String(error.code ?? '') : '';
  const locked = /^locked:(\d+)$/.exec(code);
  return locked ? t('signInLocked', { minutes: Number(locked[1]) }) : t('signInInvalid');
}
