import { forbidden, notFound } from 'next/navigation';
import { cache } from 'react';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { courseAccess } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';

/**
 * The course at /teach/<slug> with the member's access to it, once per request (layout and page share it).
 * An unknown slug (or another organisation's) is a 404; a course the member may not teach is a 403.
 */
export const loadTeachingCourse = cache(async (tenant: string, slug: string) => {
  const ctx = await requireMember(tenant);
  const loaded = await withMember(ctx, async (tx) => {
    const found = await findCourseBySlug(tx, slug);
    return { course: found, access: await courseAccess(tx, ctx, found.id) };
  }).catch((e: unknown) => {
    if (e instanceof NotFoundError) notFound();
    if (e instanceof ForbiddenError) forbidden();
    throw e;
  });
  if (!loaded.access.canTeach) forbidden();
  return { ctx, ...loaded };
});

/** Settings and outline: only the course's authors (its instructors, org admins). */
export async function loadAuthoredCourse(tenant: string, slug: string) {
  const loaded = await loadTeachingCourse(tenant, slug);
  if (!loaded.access.canAuthor) forbidden();
  return loaded;
}
