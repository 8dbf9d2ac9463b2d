import { env } from '@/lib/env';

/** Links we send (emails, hand-offs) come from configuration, never from a request's Host header. */
export function rootOrigin(): string {
  const e = env();
  return `${e.LECTERN_PROTOCOL}://${e.LECTERN_ROOT_DOMAIN}`;
}

export function tenantOrigin(slug: string): string {
  const e = env();
  return `${e.LECTERN_PROTOCOL}://${slug}.${e.LECTERN_ROOT_DOMAIN}`;
}
