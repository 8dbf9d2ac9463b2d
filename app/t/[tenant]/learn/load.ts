import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import type { MemberContext } from '@/lib/auth/context';
import { withMember } from '@/lib/auth/with-member';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { loadPlayer, type PlayerView } from '@/lib/learning/player';

/**
 * A learner's read of one course for a page, in the member's transaction: not enrolled → the course's landing
 * page (to enrol); unknown course or item, or another organisation's → 404; not allowed → 403.
 */
export async function learnerCourseRead<T>(ctx: MemberContext, courseSlug: string, read: Parameters<typeof withMember<T>>[1]): Promise<T> {
  try {
    return await withMember(ctx, read);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'notEnrolled') redirect(`/courses/${encodeURIComponent(courseSlug)}`);
    if (e instanceof NotFoundError) notFound();
    if (e instanceof ForbiddenError) forbidden();
    throw e;
  }
}

/** The player view for a page and its metadata (one load per request). */
export const playerViewFor = cache(
  (ctx: MemberContext, courseSlug: string, itemId: string | null): Promise<PlayerView> => learnerCourseRead(ctx, courseSlug, (tx) => loadPlayer(tx, ctx, courseSlug, itemId)),
);
