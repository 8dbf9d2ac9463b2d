'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { submitAssignment } from '@/lib/assignments/submissions';
import { memberAction } from '@/lib/auth/action';
import { ValidationError } from '@/lib/errors';

/** The uploaded files travel as JSON `[{ key, name }]` in one hidden field. */
const FilesJson = z
  .string()
  .optional()
  .transform((s) => {
    if (!s?.trim()) return [];
    try {
      return JSON.parse(s) as unknown;
    } catch {
      throw new ValidationError('fileRequired', { field: 'files' });
    }
  });

const SubmitForm = z.object({ itemId: z.uuid(), submitKey: z.string().min(8).max(100), bodyHtml: z.string().optional(), url: z.string().optional(), files: FilesJson });

/** A learner hands in (a new version of) an assignment; the service checks everything and numbers the version. */
export const submitAssignmentAction = memberAction({ role: 'learner', input: SubmitForm }, async (tx, ctx, input) => {
  const files = z.array(z.object({ key: z.string(), name: z.string() })).safeParse(input.files);
  if (!files.success) throw new ValidationError('fileRequired', { field: 'files' });
  const s = await submitAssignment(tx, ctx, input.itemId, { submitKey: input.submitKey, bodyHtml: input.bodyHtml ?? '', url: input.url ?? '', files: files.data });
  return { ok: true, message: (await getTranslations('assignment.player'))('submitted', { version: s.version }), data: { version: s.version } };
});
