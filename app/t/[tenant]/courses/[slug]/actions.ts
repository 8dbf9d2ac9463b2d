'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { startCoursePurchase } from '@/lib/billing/course-sales';
import { findCourseById } from '@/lib/courses/permissions';
import { leaveCourse, selfEnrol } from '@/lib/enrolment/service';

/**
 * The landing page's "Enrol" / "Request to join". An open course enrols at once and the browser goes to the
 * player; an approval course files a request and the page shows it pending.
 */
export const enrolAction = memberAction({ role: 'learner', input: z.object({ courseId: z.uuid() }) }, async (tx, ctx, input) => {
  const enrolment = await selfEnrol(tx, ctx, input.courseId);
  const t = await getTranslations('courseLanding');
  if (enrolment.status !== 'active') return { ok: true, message: t('requestSent') };
  const course = await findCourseById(tx, input.courseId);
  return { ok: true, message: t('enrolledNow'), data: { redirectTo: `/learn/${course.slug}` } };
});

/** "Leave course" / "Withdraw request" on the landing page (behind a confirmation). */
export const leaveAction = memberAction({ role: 'learner', input: z.object({ courseId: z.uuid() }) }, async (tx, ctx, input) => {
  await leaveCourse(tx, ctx, input.courseId);
  return { ok: true, message: (await getTranslations('courseLanding'))('left') };
});

/** "Buy": a pending order and a Stripe Checkout page for the course's price; the webhook enrols. */
export const buyAction = memberAction({ role: 'learner', input: z.object({ courseId: z.uuid() }) }, async (tx, ctx, input) => {
  const { url } = await startCoursePurchase(tx, ctx, input.courseId);
  return { ok: true, data: { redirectTo: url } };
});
