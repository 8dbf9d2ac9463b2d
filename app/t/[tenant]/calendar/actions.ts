'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { createFeed, revokeFeed } from '@/lib/calendar/feeds';

/** Create or regenerate the member's own feed; the new address is returned once, to its owner. */
export const createFeedAction = memberAction({ role: 'learner', input: z.object({}) }, async (tx, ctx) => {
  const { url, replaced } = await createFeed(tx, ctx);
  return { ok: true, message: (await getTranslations('calendar.feed'))(replaced ? 'regenerated' : 'created'), data: { url } };
});

export const revokeFeedAction = memberAction({ role: 'learner', input: z.object({}) }, async (tx, ctx) => {
  const { revoked } = await revokeFeed(tx, ctx);
  return { ok: true, message: (await getTranslations('calendar.feed'))(revoked ? 'revoked' : 'alreadyRevoked') };
});
