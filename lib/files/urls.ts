import type { TenantRef } from '@/lib/auth/context';
import { env } from '@/lib/env';
import { signFileUrl, type Disposition } from '@/lib/storage/signed-url';

const HOUR = 3600;

/**
 * When a URL made at `nowMs` expires: the end of the next whole hour (between one and two hours away).
 * Every render within the same clock hour gets the same URL, so browsers and CDNs can reuse what they
 * cached, and a page left open for an hour still has working links.
 */
export function fileUrlExpiry(nowMs: number): number {
  return (Math.floor(nowMs / 1000 / HOUR) + 2) * HOUR;
}

/** Shown in the browser (PDF viewer, image, video player) or downloaded: everything else downloads. */
export function inlineFor(contentType: string): Disposition {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/pdf' || type.startsWith('image/') || type.startsWith('video/') ? 'inline' : 'attachment';
}

/**
 * A signed path (`/files/t/<tenant>/…?exp=…&d=…&name=…&sig=…`) on the organisation's own host that serves
 * `key` without a session until it expires. Only for keys of this organisation.
 */
export function fileUrl(
  tenant: Pick<TenantRef, 'id'>,
  key: string,
  opts: { filename: string; disposition: Disposition; now?: number },
): string {
  if (!key.startsWith(`t/${tenant.id.toLowerCase()}/`)) throw new Error(`fileUrl: ${key} is not a file of organisation ${tenant.id}`);
  return signFileUrl(env().AUTH_SECRET, { key, expires: fileUrlExpiry(opts.now ?? Date.now()), disposition: opts.disposition, filename: opts.filename });
}
