import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { ValidationError } from '@/lib/errors';

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
  return { fileKey: file.key, filename: parsed.data.filename, contentType: file.contentType, size: file.size };
}
