import { z } from 'zod';
import type { Tx } from '@/db/client';
import { completeIfPassed } from '@/lib/assessment/attempts';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertCanTeach } from '@/lib/courses/permissions';
import { findItem } from '@/lib/courses/structure';
import { NotFoundError } from '@/lib/errors';
import { releaseItemGrades } from './grades';

/** Kinds whose grades go to the gradebook. */
export const GRADABLE_KINDS = ['quiz', 'assignment'] as const;

/**
 * Staff release an item's hand-given grades to its learners (grades a person gave are hidden until then;
 * machine-graded quiz attempts are released as they are graded). Audited with how many were released.
 */
export async function releaseGrades(tx: Tx, ctx: MemberContext, itemId: string, now = new Date()): Promise<number> {
  if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
  const item = await findItem(tx, itemId);
  if (!(GRADABLE_KINDS as readonly string[]).includes(item.kind)) throw new NotFoundError('itemNotFound');
  await assertCanTeach(tx, ctx, item.courseId);
  const { cells: released, attempts } = await releaseItemGrades(tx, itemId, now);
  // A quiz attempt a person graded completes the quiz (if it passes) only now that its learner may see it.
  for (const attempt of attempts) await completeIfPassed(tx, ctx.tenant.id, attempt, now);
  await recordAudit(tx, ctx, { action: 'grades.released', targetType: 'item', targetId: itemId, targetLabel: item.title, after: { released } });
  return released;
}
