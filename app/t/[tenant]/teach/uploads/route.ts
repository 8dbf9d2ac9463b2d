import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { getMember } from '@/lib/auth/guard';
import { requestOrigin } from '@/lib/auth/origin';
import { withMember } from '@/lib/auth/with-member';
import { DomainError } from '@/lib/errors';
import { MAX_UPLOAD_BYTES, storeUpload, UPLOAD_PURPOSES } from '@/lib/files/upload';
import { fileUrl, inlineFor } from '@/lib/files/urls';
import { requestLogger } from '@/lib/log';

type Params = { params: Promise<{ tenant: string }> };

// Room for the multipart envelope (boundaries, part headers, the other fields) around the largest file.
const MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;
const MB = 1024 * 1024;

const UploadForm = z.object({ courseId: z.string().max(100), purpose: z.enum(UPLOAD_PURPOSES) });

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Upload a course file (multipart: `file`, `courseId`, `purpose` = cover | video | document) as a signed-in
 * course author. Answers `{ key, url, contentType, size, filename }`, or `{ error }` with a 4xx.
 */
export async function POST(req: Request, { params }: Params) {
  const { tenant: slug } = await params;
  const t = await getTranslations('errors');
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_REQUEST_BYTES) {
    return json({ error: t('uploadRequestTooBig', { size: (declared / MB).toFixed(1), limit: MAX_UPLOAD_BYTES / MB }) }, 413);
  }
  // Organisations share a site (cookies are SameSite=Lax across subdomains): only this host's own pages may post.
  const origin = req.headers.get('origin');
  if (origin && origin !== requestOrigin(req.headers)) return json({ error: t('forbidden') }, 403);
  const member = await getMember(slug);
  if (!member) return json({ error: (await getTranslations('actions'))('sessionEnded') }, 401);

  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return json({ error: t('uploadMissing') }, 400);
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return json({ error: t('uploadMissing') }, 400);
  const fields = UploadForm.safeParse({ courseId: form.get('courseId'), purpose: form.get('purpose') });
  if (!fields.success) {
    const purposeBad = fields.error.issues.some((i) => i.path[0] === 'purpose');
    return purposeBad ? json({ error: t('uploadPurposeInvalid') }, 422) : json({ error: t('courseNotFound') }, 404);
  }

  try {
    const bytes = Buffer.from(await file.arrayBuffer());
    const stored = await withMember(member, (tx) => storeUpload(tx, member, { ...fields.data, filename: file.name, bytes }));
    const url = fileUrl(member.tenant, stored.key, { filename: stored.filename, disposition: inlineFor(stored.contentType) });
    return json({ key: stored.key, url, contentType: stored.contentType, size: stored.size, filename: stored.filename });
  } catch (e) {
    if (e instanceof DomainError) return json({ error: t(e.code, e.params as never) }, e.status);
    (await requestLogger()).error({ err: e }, 'upload failed');
    return json({ error: (await getTranslations('actions'))('unexpected') }, 500);
  }
}
