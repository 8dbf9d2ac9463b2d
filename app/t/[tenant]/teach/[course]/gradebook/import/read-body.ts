import { ValidationError } from '@/lib/errors';
import { IMPORT_MAX_BYTES } from '@/lib/gradebook/csv';

/**
 * The file as the request body (text/csv), the preview's fingerprint in a header. The size is checked from
 * the header and again on the text, before anything is parsed.
 */
export async function readImportBody(req: Request): Promise<{ text: string; fingerprint: string }> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > IMPORT_MAX_BYTES + 1024) throw new ValidationError('gradeImportTooLarge', { params: { mb: IMPORT_MAX_BYTES / 1024 / 1024 } });
  const text = await req.text();
  return { text, fingerprint: req.headers.get('x-import-fingerprint') ?? '' };
}
