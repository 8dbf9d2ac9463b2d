import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import type { MemberContext } from '@/lib/auth/context';
import { withMember } from '@/lib/auth/with-member';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { loadPlayer, type PlayerView } from '@/lib/learning/player';

/**
 * The player view for a page and its metadata (one load per request). Not enrolled → the course's landing
 * page (to enrol); unknown course or item, or another organisation's → 404.
 */
export const playerViewFor = cache(async (ctx: MemberContext, courseSlug: string, itemId: string | null): Promise<PlayerView> => {
  try {
    return await withMember(ctx, (tx) => loadPlayer(tx, ctx, courseSlug, itemId));
  } catch (e) {
    if (e instanceof DomainError && e.code === 'notEnrolled') redirect(`/courses/${encodeURIComponent(courseSlug)}`);
    if (e instanceof NotFoundError) notFound();
    if (e instanceof ForbiddenError) forbidden();
    throw e;
  }
});
