import { env } from '@/lib/env';

/** The origin the browser used: the Host header (X-Forwarded-* only behind a trusted proxy). */
export function requestOrigin(headers: Headers): string {
  const e = env();
  const host = (e.TRUST_PROXY && headers.get('x-forwarded-host')) || headers.get('host') || e.LECTERN_ROOT_DOMAIN;
  const proto = (e.TRUST_PROXY && headers.get('x-forwarded-proto')?.split(',')[0]?.trim()) || e.LECTERN_PROTOCOL;
  return `${proto}://${host}`;
}
