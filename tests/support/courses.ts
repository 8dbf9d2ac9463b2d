import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { addItem, addModule } from '@/lib/courses/structure';
import { selfEnrol } from '@/lib/enrolment/service';
import { markItemComplete } from '@/lib/learning/player';
import { as } from './factories';

export type ShortCourse = Course & { itemId: string };

/** A published, open course of one required lesson, built by `author` through the services. */
export async function shortCourse(author: MemberContext, title: string): Promise<ShortCourse> {
  const c = await as(author, (tx, ctx) => createCourse(tx, ctx, { title }));
  await as(author, (tx, ctx) =>
    updateCourse(tx, ctx, c.id, { title, slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
  );
  const mod = await as(author, (tx, ctx) => addModule(tx, ctx, c.id, { title: 'Only module' }));
  const item = await as(author, (tx, ctx) => addItem(tx, ctx, mod.id, 'lesson', { title: 'Read this', required: 'on', html: '<p>Hello.</p>', releaseAfterDays: '' }));
  const course = await as(author, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
  return { ...course, itemId: item.id };
}

/** The learner enrols (if not yet) and marks the lesson complete: the course completes and `course.completed` is emitted. */
export async function completeCourse(learner: MemberContext, course: ShortCourse): Promise<void> {
  await as(learner, (tx, ctx) => selfEnrol(tx, ctx, course.id)).catch((e: { code?: string }) => {
    if (e.code !== 'alreadyEnrolled') throw e;
  });
  await as(learner, (tx, ctx) => markItemComplete(tx, ctx, course.itemId));
}
