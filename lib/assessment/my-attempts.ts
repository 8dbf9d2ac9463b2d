import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { NotFoundError } from '@/lib/errors';
import { accommodationFor, learnerAttemptView } from './attempts';

export type MyAttempt = {
  id: string;
  number: number;
  status: 'in_progress' | 'submitted' | 'graded';
  submittedAt: Date | null;
  /** Only when the quiz's results policy shows scores (decided by learnerAttemptView). */
  score: number | null;
  pointsPossible: number | null;
};

/**
 * The signed-in learner's own attempts at a quiz item, oldest first. Scores come from learnerAttemptView,
 * so the results policy is applied in one place; attempts per learner are few.
 */
export async function myAttempts(tx: Tx, ctx: MemberContext, itemId: string, now = new Date()): Promise<MyAttempt[]> {
  if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
  const rows = await tx
    .select({ id: schema.quizAttempts.id })
    .from(schema.quizAttempts)
    .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, schema.quizAttempts.tenantId), eq(schema.enrolments.id, schema.quizAttempts.enrolmentId)))
    .where(and(eq(schema.quizAttempts.itemId, itemId), eq(schema.enrolments.userId, ctx.user.id)))
    .orderBy(asc(schema.quizAttempts.number));
  const out: MyAttempt[] = [];
  for (const { id } of rows) {
    const view = await learnerAttemptView(tx, ctx, id, now);
    out.push({
      id,
      number: view.attempt.number,
      status: view.attempt.status,
      submittedAt: view.attempt.submittedAt,
      score: view.results?.score ?? null,
      pointsPossible: view.results?.pointsPossible ?? null,
    });
  }
  return out;
}

/** How many attempts this learner may make at a quiz (0 = unlimited), accommodations included. */
export async function myAttemptAllowance(tx: Tx, ctx: MemberContext, itemId: string, attemptsAllowed: number): Promise<number> {
  if (attemptsAllowed === 0) return 0;
  const { extraAttempts } = await accommodationFor(tx, itemId, ctx.user.id);
  return attemptsAllowed + extraAttempts;
}
