import { getTranslations } from 'next-intl/server';
import { jsonResponse, memberRoute } from '@/lib/auth/route';
import { FeatureError } from '@/lib/certificates/errors';
import { certificateFile } from '@/lib/certificates/service';
import { objectStore } from '@/lib/storage';
import { serveObject } from '@/lib/storage/serve';

type Ctx = { params: Promise<{ tenant: string; id: string }> };

/**
 * The certificate's PDF, as a download, to its owner (while valid) or an org admin only: streamed from the
 * file store through this route, never a shareable signed URL. Anyone else gets 404, as for a wrong id.
 */
export async function GET(req: Request, { params }: Ctx) {
  const { tenant, id } = await params;
  return memberRoute(req, tenant, { write: false, what: 'certificate download' }, async (tx, member) => {
    try {
      const file = await certificateFile(tx, member, id);
      const res = await serveObject(objectStore(), file.key, { etag: file.key, disposition: 'attachment', filename: file.filename, rangeHeader: null, ifNoneMatch: null });
      // Per person and revocable: no cache keeps it.
      res.headers.set('cache-control', 'private, no-store');
      return res;
    } catch (e) {
      if (!(e instanceof FeatureError)) throw e;
      const t = await getTranslations(`${e.namespace}.errors` as never);
      return jsonResponse({ error: (t as unknown as (k: string) => string)(e.code), code: e.code }, e.status);
    }
  });
}
