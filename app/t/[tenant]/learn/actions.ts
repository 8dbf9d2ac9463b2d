'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { markItemComplete } from '@/lib/learning/player';

/** The player's "Mark complete" (the service checks enrolment, release rules and the item's completion kind). */
export const markCompleteAction = memberAction({ role: 'learner', input: z.object({ itemId: z.uuid() }) }, async (tx, ctx, input) => {
  await markItemComplete(tx, ctx, input.itemId);
  return { ok: true, message: (await getTranslations('player'))('markedComplete') };
});
