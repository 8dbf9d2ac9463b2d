'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { AnnouncementInput, deleteAnnouncement, postAnnouncement } from '@/lib/announcements/service';

// Course staff need not be org instructors (a learner of the organisation may TA a course): any member may
// call these, and the service decides from the course role.
const ANY_MEMBER = 'learner' as const;

export const postAnnouncementAction = memberAction({ role: ANY_MEMBER, input: AnnouncementInput.extend({ courseId: z.uuid() }) }, async (tx, ctx, input) => {
  await postAnnouncement(tx, ctx, input.courseId, input);
  return { ok: true, message: (await getTranslations('announcements.form'))('posted') };
});

export const deleteAnnouncementAction = memberAction({ role: ANY_MEMBER, input: z.object({ announcementId: z.uuid() }) }, async (tx, ctx, input) => {
  const { deleted } = await deleteAnnouncement(tx, ctx, input.announcementId);
  return { ok: true, message: (await getTranslations('announcements.delete'))(deleted ? 'done' : 'gone') };
});
