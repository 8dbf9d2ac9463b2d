import type { TenantRef } from '@/lib/auth/context';
import { env } from '@/lib/env';
import { objectStore } from '@/lib/storage';
import { serveObject } from '@/lib/storage/serve';
import { verifyFileUrl } from '@/lib/storage/signed-url';

// Exactly what contentKey() makes: t/<tenant uuid>/<sha[0:2]>/<sha256>.<ext>
const CONTENT_KEY = /^t\/([0-9a-f-]{36})\/([0-9a-f]{2})\/([0-9a-f]{64})\.[a-z0-9]{1,8}$/;

function plain(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
}

/**
 * Answer a signed file URL on an organisation's host. The signature is the authorisation (no session,
 * no database), so `<video>`, `<iframe>` and CDNs can fetch it. A key of another organisation is
 * "not found" here even with a valid signature.
 */
export async function serveSignedFile(
  req: Request,
  tenant: TenantRef,
  key: string,
  messages: { expired: string; invalid: string },
): Promise<Response> {
  const query = new URL(req.url).searchParams;
  const verified = verifyFileUrl(env().AUTH_SECRET, key, query);
  if (!verified.ok) return plain(verified.status, verified.status === 410 ? messages.expired : messages.invalid);
  const m = CONTENT_KEY.exec(key);
  if (!m || m[1] !== tenant.id.toLowerCase() || !m[3]!.startsWith(m[2]!)) return plain(404, 'Not found');
  return serveObject(objectStore(), key, {
    etag: m[3]!,
    disposition: verified.request.disposition,
    filename: verified.request.filename,
    rangeHeader: req.headers.get('range'),
    ifNoneMatch: req.headers.get('if-none-match'),
    method: req.method === 'HEAD' ? 'HEAD' : 'GET',
  });
}
