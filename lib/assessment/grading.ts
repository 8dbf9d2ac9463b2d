import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import type { QuizContent } from '@/lib/courses/kinds/quiz';
import { assertCanAuthor, assertCanTeach } from '@/lib/courses/permissions';
import { findItem } from '@/lib/courses/structure';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';
import { accommodationFor, settleAttempt } from './attempts';
import { gradeAnswer } from './questions';

/**
 * What staff do with attempts: grant accommodations, grade what needs a person (essays), and regrade
 * attempts after an answer key changes. Every change is authorised against the quiz's course and audited.
 */

export const AccommodationInput = z.object({
  extraMinutes: z.coerce.number(v('extraMinutesInvalid')).int(v('extraMinutesInvalid')).min(0, v('extraMinutesInvalid')).max(24 * 60, v('extraMinutesInvalid')),
  extraAttempts: z.coerce.number(v('extraAttemptsInvalid')).int(v('extraAttemptsInvalid')).min(0, v('extraAttemptsInvalid')).max(20, v('extraAttemptsInvalid')),
});

/** Extra time and/or attempts for one learner on one quiz (applies to attempts started from now on). */
export async function setAccommodation(tx: Tx, ctx: MemberContext, itemId: string, userId: string, raw: z.input<typeof AccommodationInput>): Promise<void> {
  const item = await findItem(tx, itemId);
  if (item.kind !== 'quiz') throw new NotFoundError('itemNotFound');
  await assertCanAuthor(tx, ctx, item.courseId);
  const input = AccommodationInput.parse(raw);
  const [enrolled] = await tx
    .select({ id: schema.enrolments.id })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, item.courseId), eq(schema.enrolments.userId, userId)))
    .limit(1);
  if (!enrolled) throw new NotFoundError('enrolmentNotFound');
  const before = await accommodationFor(tx, itemId, userId);
  await tx
    .insert(schema.accommodations)
    .values({ tenantId: ctx.tenant.id, itemId, userId, ...input })
    .onConflictDoUpdate({ target: [schema.accommodations.tenantId, schema.accommodations.itemId, schema.accommodations.userId], set: { ...input, updatedAt: new Date() } });
  await recordAudit(tx, ctx, { action: 'quiz.accommodation_set', targetType: 'item', targetId: itemId, targetLabel: item.title, before: { userId, ...before }, after: { userId, ...input } });
}

export type QuizAccommodation = { itemId: string; title: string; timeLimitMinutes: number | null; attemptsAllowed: number; extraMinutes: number; extraAttempts: number };

/**
 * One learner's accommodations on every quiz of a course, for its staff (who may read them); `canEdit`
 * says whether this member may change them (the course's authors).
 */
export async function learnerAccommodations(tx: Tx, ctx: MemberContext, courseId: string, userId: string): Promise<{ canEdit: boolean; quizzes: QuizAccommodation[] }> {
  const access = await assertCanTeach(tx, ctx, courseId);
  const rows = await tx
    .select({ item: schema.courseItems, extraMinutes: schema.accommodations.extraMinutes, extraAttempts: schema.accommodations.extraAttempts })
    .from(schema.courseItems)
    .innerJoin(schema.courseModules, and(eq(schema.courseModules.tenantId, schema.courseItems.tenantId), eq(schema.courseModules.id, schema.courseItems.moduleId)))
    .leftJoin(
      schema.accommodations,
      and(eq(schema.accommodations.tenantId, schema.courseItems.tenantId), eq(schema.accommodations.itemId, schema.courseItems.id), eq(schema.accommodations.userId, userId)),
    )
    .where(and(eq(schema.courseItems.courseId, courseId), eq(schema.courseItems.kind, 'quiz')))
    .orderBy(asc(schema.courseModules.position), asc(schema.courseItems.position));
  return {
    canEdit: access.canAuthor,
    quizzes: rows.map(({ item, extraMinutes, extraAttempts }) => {
      const quiz = item.content as QuizContent;
      return { itemId: item.id, title: item.title, timeLimitMinutes: quiz.timeLimitMinutes, attemptsAllowed: quiz.attemptsAllowed, extraMinutes: extraMinutes ?? 0, extraAttempts: extraAttempts ?? 0 };
    }),
  };
}

/** An attempt's quiz item and course, for staff: authorised to teach that course (TAs may grade). */
async function attemptForStaff(tx: Tx, ctx: MemberContext, attemptId: string) {
  if (!z.uuid().safeParse(attemptId).success) throw new NotFoundError('attemptNotFound');
  const [attempt] = await tx.select().from(schema.quizAttempts).where(eq(schema.quizAttempts.id, attemptId)).limit(1).for('update');
  if (!attempt) throw new NotFoundError('attemptNotFound');
  const item = await findItem(tx, attempt.itemId);
  await assertCanTeach(tx, ctx, item.courseId);
  return { attempt, item };
}

export const ManualScoreInput = z.object({ score: z.coerce.number().min(0).max(1000) });

/**
 * A person grades one answer (an essay, or overrides an automatic score). The attempt is graded once no
 * answer waits for a person; every change is audited with the old and new score.
 */
export async function gradeAnswerByHand(tx: Tx, ctx: MemberContext, attemptId: string, questionId: string, raw: z.input<typeof ManualScoreInput>, now = new Date()): Promise<void> {
  const { attempt } = await attemptForStaff(tx, ctx, attemptId);
  if (attempt.status === 'in_progress') throw new ConflictError('attemptNotSubmitted');
  const { score } = ManualScoreInput.parse(raw);
  const [question] = await tx.select({ points: schema.questions.points }).from(schema.questions).where(eq(schema.questions.id, questionId));
  if (!question || !attempt.layout.some((l) => l.questionId === questionId)) throw new NotFoundError('questionNotFound');
  if (score > question.points) throw new ValidationError('scoreAbovePoints', { field: 'score', params: { points: question.points } });
  const [before] = await tx
    .select({ score: schema.attemptAnswers.score })
    .from(schema.attemptAnswers)
    .where(and(eq(schema.attemptAnswers.attemptId, attemptId), eq(schema.attemptAnswers.questionId, questionId)));
  await tx
    .insert(schema.attemptAnswers)
    .values({ tenantId: ctx.tenant.id, attemptId, questionId, answer: null, score, correct: score >= question.points })
    .onConflictDoUpdate({ target: [schema.attemptAnswers.tenantId, schema.attemptAnswers.attemptId, schema.attemptAnswers.questionId], set: { score, correct: score >= question.points } });
  await recordAudit(tx, ctx, { action: 'attempt.answer_graded', targetType: 'attempt', targetId: attemptId, before: { questionId, score: before?.score ?? null }, after: { questionId, score } });
  await settleAttempt(tx, ctx.tenant.id, attemptId, ctx.user.id, now);
}

/** How many submitted or graded attempts answered this question: what a regrade would look at. */
export async function attemptsUsingQuestion(tx: Tx, ctx: MemberContext, questionId: string): Promise<number> {
  const [question] = await tx.select({ courseId: schema.questions.courseId }).from(schema.questions).where(eq(schema.questions.id, questionId));
  if (!question) throw new NotFoundError('questionNotFound');
  await assertCanAuthor(tx, ctx, question.courseId);
  const [row] = await tx
    .select({ n: count() })
    .from(schema.attemptAnswers)
    .innerJoin(schema.quizAttempts, and(eq(schema.quizAttempts.tenantId, schema.attemptAnswers.tenantId), eq(schema.quizAttempts.id, schema.attemptAnswers.attemptId)))
    .where(and(eq(schema.attemptAnswers.questionId, questionId), inArray(schema.quizAttempts.status, ['submitted', 'graded'])));
  return row?.n ?? 0;
}

/**
 * After an answer key changes: re-grade every submitted or graded attempt that had this question (automatic
 * types only; hand-given essay scores stay). Audited with how many attempts changed.
 */
export async function regradeQuestion(tx: Tx, ctx: MemberContext, questionId: string, now = new Date()): Promise<{ attempts: number; changed: number }> {
  const [question] = await tx.select().from(schema.questions).where(eq(schema.questions.id, questionId));
  if (!question) throw new NotFoundError('questionNotFound');
  await assertCanAuthor(tx, ctx, question.courseId);
  if (question.type === 'essay') return { attempts: 0, changed: 0 };
  const answers = await tx
    .select({ attemptId: schema.attemptAnswers.attemptId, answer: schema.attemptAnswers.answer, score: schema.attemptAnswers.score })
    .from(schema.attemptAnswers)
    .innerJoin(schema.quizAttempts, and(eq(schema.quizAttempts.tenantId, schema.attemptAnswers.tenantId), eq(schema.quizAttempts.id, schema.attemptAnswers.attemptId)))
    .where(and(eq(schema.attemptAnswers.questionId, questionId), inArray(schema.quizAttempts.status, ['submitted', 'graded'])));
  let changed = 0;
  for (const a of answers) {
    const outcome = a.answer === null ? null : gradeAnswer(question.type, question.definition, a.answer, question.points);
    const result = outcome?.ok ? outcome.result : { score: 0, correct: false };
    if (result.score === a.score) continue;
    changed++;
    await tx
      .update(schema.attemptAnswers)
      .set({ score: result.score, correct: result.correct })
      .where(and(eq(schema.attemptAnswers.attemptId, a.attemptId), eq(schema.attemptAnswers.questionId, questionId)));
    await settleAttempt(tx, ctx.tenant.id, a.attemptId, ctx.user.id, now, 'regrade');
  }
  await recordAudit(tx, ctx, { action: 'question.regraded', targetType: 'question', targetId: questionId, after: { attempts: answers.length, changed } });
  return { attempts: answers.length, changed };
}

