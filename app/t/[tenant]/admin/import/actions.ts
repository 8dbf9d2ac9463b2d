'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { startImport } from '@/lib/imports/service';

/** Start a checked import by its id; the server re-checks the seats and the job re-checks every batch. */
export const startImportAction = memberAction({ role: 'admin', input: z.object({ importId: z.uuid() }) }, async (tx, ctx, input) => {
  await startImport(tx, ctx, input.importId);
  return { ok: true, message: (await getTranslations('imports'))('progressLede') };
});
