import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { currentTenantSlug, getMember } from '@/lib/auth/guard';
import { isSameOriginRequest } from '@/lib/auth/origin';
import { errorResponse, jsonResponse } from '@/lib/auth/route';
import { withMember } from '@/lib/auth/with-member';
import { assertCanUpload, MAX_UPLOAD_BYTES, storeUpload, UPLOAD_PURPOSES } from '@/lib/files/upload';
import { fileUrl, inlineFor } from '@/lib/files/urls';

// Room for the multipart envelope (boundaries, part headers, the other fields) around the largest file.
const MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;
const MB = 1024 * 1024;

const UploadForm = z.object({ courseId: z.string().max(100), purpose: z.enum(UPLOAD_PURPOSES) });


/**
 * Upload a course file as a signed-in course author (or, for `submission`, an enrolled learner):
 * `POST /api/uploads?courseId=…&purpose=cover|video|document|submission`
 * with a multipart body holding `file`. Answers `{ key, url, contentType, size, filename }`, or `{ error }`
 * with a 4xx.
 *
 * This route is outside the proxy (its matcher skips /api/uploads), so Next does not buffer the body for
 * the proxy, and the organisation comes from the Host here. Everything that can be refused — size, origin,
 * session, course, permission — is refused before the body is read.
 */
export async function POST(req: Request) {
  const t = await getTranslations('errors');
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_REQUEST_BYTES) {
    return jsonResponse({ error: t('uploadRequestTooBig', { size: (declared / MB).toFixed(1), limit: MAX_UPLOAD_BYTES / MB }) }, 413);
  }
  if (!isSameOriginRequest(req.headers)) return jsonResponse({ error: t('forbidden') }, 403);
  const slug = await currentTenantSlug();
  const member = slug ? await getMember(slug) : null;
  if (!member) return jsonResponse({ error: (await getTranslations('actions'))('sessionEnded') }, 401);
  const query = new URL(req.url).searchParams;
  const fields = UploadForm.safeParse({ courseId: query.get('courseId'), purpose: query.get('purpose') });
  if (!fields.success) {
    const purposeBad = fields.error.issues.some((i) => i.path[0] === 'purpose');
    return purposeBad ? jsonResponse({ error: t('uploadPurposeInvalid') }, 422) : jsonResponse({ error: t('courseNotFound') }, 404);
  }

  try {
    await withMember(member, (tx) => assertCanUpload(tx, member, fields.data.courseId, fields.data.purpose));
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      return jsonResponse({ error: t('uploadMissing') }, 400);
    }
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return jsonResponse({ error: t('uploadMissing') }, 400);
    const bytes = Buffer.from(await file.arrayBuffer());
    const stored = await withMember(member, (tx) => storeUpload(tx, member, { ...fields.data, filename: file.name, bytes }));
    const url = fileUrl(member.tenant, stored.key, { filename: stored.filename, disposition: inlineFor(stored.contentType) });
    return jsonResponse({ key: stored.key, url, contentType: stored.contentType, size: stored.size, filename: stored.filename });
  } catch (e) {
    return errorResponse(e, 'upload');
  }
}
