import { createHmac, timingSafeEqual } from 'node:crypto';

export type Disposition = 'inline' | 'attachment';

export type SignedFileRequest = { key: string; expires: number; disposition: Disposition; filename: string };

function signature(secret: string, r: SignedFileRequest): string {
  return createHmac('sha256', `lectern-files:${secret}`).update(`${r.key}\n${r.expires}\n${r.disposition}\n${r.filename}`).digest('base64url');
}

/** A URL path that serves `key` until `expires` (unix seconds); anything changed in it breaks the signature. */
export function signFileUrl(secret: string, r: SignedFileRequest): string {
  const q = new URLSearchParams({ exp: String(r.expires), d: r.disposition, name: r.filename, sig: signature(secret, r) });
  return `/files/${r.key}?${q}`;
}

export type Verified = { ok: true; request: SignedFileRequest } | { ok: false; status: 403 | 410; reason: 'tampered' | 'expired' };

/** Check a signed URL's key and query; `now` in unix seconds. */
export function verifyFileUrl(secret: string, key: string, query: URLSearchParams, now = Math.floor(Date.now() / 1000)): Verified {
  const expires = Number(query.get('exp'));
  const disposition = query.get('d');
  const filename = query.get('name') ?? '';
  const sig = query.get('sig') ?? '';
  if (!Number.isInteger(expires) || (disposition !== 'inline' && disposition !== 'attachment')) return { ok: false, status: 403, reason: 'tampered' };
  const request = { key, expires, disposition, filename } satisfies SignedFileRequest;
  const expected = Buffer.from(signature(secret, request));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, status: 403, reason: 'tampered' };
  if (expires < now) return { ok: false, status: 410, reason: 'expired' };
  return { ok: true, request };
}
