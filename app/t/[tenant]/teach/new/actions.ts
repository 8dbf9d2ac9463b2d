'use server';

import { memberAction } from '@/lib/auth/action';
import { NewCourseInput } from '@/lib/courses/schemas';
import { createCourse } from '@/lib/courses/service';

/** A new draft from its title; the client then opens its settings (tenant hosts navigate on the client). */
export const createCourseAction = memberAction({ role: 'instructor', input: NewCourseInput }, async (tx, ctx, input) => {
  const course = await createCourse(tx, ctx, input);
  return { ok: true, data: { redirectTo: `/teach/${course.slug}?created=1` } };
});
