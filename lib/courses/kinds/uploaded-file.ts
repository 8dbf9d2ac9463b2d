import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { ValidationError } from '@/lib/errors';
import { sanitiseFilename } from '@/lib/files/upload';

export const FileRef = z.object({ fileKey: z.string().min(1).max(400), filename: z.string().trim().min(1).max(200) });

/** An uploaded file this organisation owns (RLS scopes the lookup), or a field error. */
export async function ownedFile(tx: Tx, tenantId: string, raw: Record<string, unknown>, accept: (contentType: string) => boolean) {
  const parsed = FileRef.safeParse(raw);
  if (!parsed.success) throw new ValidationError('fileRequired', { field: 'fileKey' });
  const [file] = await tx
    .select({ key: schema.files.key, contentType: schema.files.contentType, size: schema.files.size })
    .from(schema.files)
    .where(and(eq(schema.files.tenantId, tenantId), eq(schema.files.key, parsed.data.fileKey)))
    .limit(1);
  if (!file) throw new ValidationError('fileRequired', { field: 'fileKey' });
  if (!accept(file.contentType)) throw new ValidationError('uploadWrongType', { field: 'fileKey', params: { mime: file.contentType, allowed: 'see the upload hint' } });
  return { fileKey: file.key, filename: downloadName(parsed.data.filename, file.key), contentType: file.contentType, size: file.size };
}

/**
 * The name learners download the file as: cleaned like an upload's name (no bidi tricks) and ending in the
 * stored file's real extension, so "report.exe" can never be offered for a PDF.
 */
export function downloadName(typed: string, key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1);
  const clean = sanitiseFilename(typed);
  const base = clean.toLowerCase().endsWith(`.${ext}`) ? clean.slice(0, -(ext.length + 1)) : clean.replace(/\.[A-Za-z0-9]{1,8}$/, '');
  return `${base || 'file'}.${ext}`;
}
