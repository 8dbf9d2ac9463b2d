'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { NotificationError } from '@/lib/notifications/errors';
import { markAllNoticesRead, markNoticeRead } from '@/lib/notifications/inbox';

export const markNoticeReadAction = memberAction({ role: 'learner', input: z.object({ id: z.string().max(100) }) }, async (tx, ctx, input) => {
  const t = await getTranslations('notifications');
  try {
    await markNoticeRead(tx, ctx, input.id);
  } catch (e) {
    if (e instanceof NotificationError) return { ok: false, message: t(`errors.${e.code}`, e.params as never) };
    throw e;
  }
  return { ok: true, message: t('page.marked') };
});

export const markAllNoticesReadAction = memberAction({ role: 'learner', input: z.object({}) }, async (tx, ctx) => {
  await markAllNoticesRead(tx, ctx);
  return { ok: true, message: (await getTranslations('notifications'))('page.allRead') };
});
