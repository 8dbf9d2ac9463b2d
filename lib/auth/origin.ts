import { env } from '@/lib/env';

/** The origin the browser used: the Host header (X-Forwarded-* only behind a trusted proxy). */
export function requestOrigin(headers: Headers): string {
  const e = env();
  const host = (e.TRUST_PROXY && headers.get('x-forwarded-host')) || headers.get('host') || e.LECTERN_ROOT_DOMAIN;
  const proto = (e.TRUST_PROXY && headers.get('x-forwarded-proto')?.split(',')[0]?.trim()) || e.LECTERN_PROTOCOL;
  return `${proto}://${host}`;
}

/**
 * Whether a state-changing request to a custom route handler came from this host's own pages (server
 * actions get Next's own check). Organisations share a site, and SameSite=Lax cookies cross subdomains, so
 * another organisation's page must not be able to post here. A browser names its origin on every POST;
 * without Origin, a browser's Sec-Fetch-Site must still say same-origin; a non-browser client sends neither.
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (origin) return origin === requestOrigin(headers);
  const site = headers.get('sec-fetch-site');
  return site === null || site === 'same-origin';
}
