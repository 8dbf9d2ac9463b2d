import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import type { QuizContent, ResultsPolicy } from '@/lib/courses/kinds/quiz';
import type { CourseItem } from '@/lib/courses/structure';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import { completeItem, openItemFor } from '@/lib/learning/player';
import type { GradeChangeKind } from '@/db/schema/gradebook';
import { type GradeActor, lockCell, writeGrade } from '@/lib/gradebook/grades';
import { AUTO_GRADED_TYPES, gradeAnswer, questionType, shuffled } from './questions';

/**
 * Quiz attempts: start (the server fixes the deadline and freezes the paper), autosave answers (refused
 * after the deadline), submit (idempotent by a client key), grade (a job; idempotent), and the learner's
 * view, in which answer keys and scores appear only when the quiz's results policy allows.
 */

export type Attempt = typeof schema.quizAttempts.$inferSelect;

/** A few seconds' grace for the network between the learner's last keystroke and the deadline. */
const GRACE_MS = 5_000;

/** A learner's accommodation on a quiz (none: zeros). */
export async function accommodationFor(tx: Tx, itemId: string, userId: string) {
  const [row] = await tx
    .select({ extraMinutes: schema.accommodations.extraMinutes, extraAttempts: schema.accommodations.extraAttempts })
    .from(schema.accommodations)
    .where(and(eq(schema.accommodations.itemId, itemId), eq(schema.accommodations.userId, userId)))
    .limit(1);
  return row ?? { extraMinutes: 0, extraAttempts: 0 };
}

function quizOf(item: CourseItem): QuizContent {
  if (item.kind !== 'quiz') throw new NotFoundError('itemNotFound');
  return item.content as QuizContent;
}

/** Questions for a new attempt: the fixed ones, then N drawn from each tagged pool (never twice). */
async function drawPaper(tx: Tx, item: CourseItem, quiz: QuizContent, seed: string): Promise<string[]> {
  const chosen = quiz.shuffleQuestions ? shuffled(quiz.questionIds, `${seed}:fixed`) : [...quiz.questionIds];
  for (const pool of quiz.pools) {
    const candidates = await tx
      .select({ id: schema.questions.id })
      .from(schema.questions)
      .where(and(eq(schema.questions.courseId, item.courseId), isNull(schema.questions.archivedAt), sql`${schema.questions.tags} @> array[${pool.tag}]::text[]`))
      .orderBy(asc(schema.questions.id));
    const fresh = candidates.map((c) => c.id).filter((id) => !chosen.includes(id));
    chosen.push(...shuffled(fresh, `${seed}:${pool.tag}`).slice(0, pool.count));
  }
  return chosen;
}

/**
 * Start an attempt, or return the open one. The deadline is the earlier of the time limit (plus any
 * accommodation) and the end of the availability window; attempts are counted under a lock on the
 * enrolment, so two tabs cannot start two.
 */
export async function startAttempt(tx: Tx, ctx: MemberContext, itemId: string, now = new Date()): Promise<Attempt> {
  const { item, enrolment } = await openItemFor(tx, ctx, itemId, now);
  const quiz = quizOf(item);
  if ((quiz.availableFrom && new Date(quiz.availableFrom) > now) || (quiz.availableUntil && new Date(quiz.availableUntil) <= now)) throw new ConflictError('quizNotAvailable');
  await tx.select({ id: schema.enrolments.id }).from(schema.enrolments).where(eq(schema.enrolments.id, enrolment.id)).for('update');
  const attempts = await tx
    .select()
    .from(schema.quizAttempts)
    .where(and(eq(schema.quizAttempts.itemId, item.id), eq(schema.quizAttempts.enrolmentId, enrolment.id)))
    .orderBy(asc(schema.quizAttempts.number));
  const open = attempts.find((a) => a.status === 'in_progress');
  if (open && !pastDeadline(open, now)) return open;
  // An attempt left open past its deadline is submitted now (answers saved in time are kept).
  if (open) await closeAttempt(tx, ctx.tenant.id, open, { submitKey: null, auto: true }, now);
  const extra = await accommodationFor(tx, item.id, ctx.user.id);
  if (quiz.attemptsAllowed > 0 && attempts.length >= quiz.attemptsAllowed + extra.extraAttempts) throw new ConflictError('noAttemptsLeft');

  const id = crypto.randomUUID();
  const questionIds = await drawPaper(tx, item, quiz, id);
  if (!questionIds.length) throw new ConflictError('quizEmpty');
  const limit = quiz.timeLimitMinutes ? now.getTime() + (quiz.timeLimitMinutes + extra.extraMinutes) * 60_000 : null;
  const until = quiz.availableUntil ? new Date(quiz.availableUntil).getTime() : null;
  const deadline = limit !== null || until !== null ? new Date(Math.min(limit ?? Infinity, until ?? Infinity)) : null;
  const [attempt] = await tx
    .insert(schema.quizAttempts)
    .values({
      tenantId: ctx.tenant.id,
      id,
      itemId: item.id,
      enrolmentId: enrolment.id,
      number: attempts.length + 1,
      layout: questionIds.map((questionId) => ({ questionId, seed: `${id}:${questionId}` })),
      startedAt: now,
      deadlineAt: deadline,
    })
    .returning();
  return attempt!;
}

/** The learner's own attempt, row-locked (another learner's id is simply not found). */
async function ownAttempt(tx: Tx, ctx: MemberContext, attemptId: string): Promise<Attempt> {
  if (!z.uuid().safeParse(attemptId).success) throw new NotFoundError('attemptNotFound');
  const [row] = await tx
    .select({ attempt: schema.quizAttempts })
    .from(schema.quizAttempts)
    .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, schema.quizAttempts.tenantId), eq(schema.enrolments.id, schema.quizAttempts.enrolmentId)))
    .where(and(eq(schema.quizAttempts.id, attemptId), eq(schema.enrolments.userId, ctx.user.id)))
    .limit(1)
    .for('update', { of: schema.quizAttempts });
  if (!row) throw new NotFoundError('attemptNotFound');
  return row.attempt;
}

const pastDeadline = (a: Attempt, now: Date) => a.deadlineAt !== null && now.getTime() > a.deadlineAt.getTime() + GRACE_MS;

/** Autosave one answer. Refused once the attempt is closed or past its deadline; forged ids and wrong shapes are refused. */
export async function saveAnswer(tx: Tx, ctx: MemberContext, attemptId: string, questionId: string, rawAnswer: unknown, now = new Date()): Promise<void> {
  const attempt = await ownAttempt(tx, ctx, attemptId);
  if (attempt.status !== 'in_progress' || pastDeadline(attempt, now)) throw new ConflictError('attemptClosed');
  if (!attempt.layout.some((l) => l.questionId === questionId)) throw new ValidationError('answerForged');
  const [question] = await tx.select({ type: schema.questions.type, definition: schema.questions.definition, points: schema.questions.points }).from(schema.questions).where(eq(schema.questions.id, questionId));
  if (!question) throw new ValidationError('answerForged');
  const outcome = gradeAnswer(question.type, question.definition, rawAnswer, question.points);
  if (!outcome.ok) throw new ValidationError('answerShape');
  await tx
    .insert(schema.attemptAnswers)
    .values({ tenantId: ctx.tenant.id, attemptId, questionId, answer: rawAnswer as object, savedAt: now })
    .onConflictDoUpdate({ target: [schema.attemptAnswers.tenantId, schema.attemptAnswers.attemptId, schema.attemptAnswers.questionId], set: { answer: rawAnswer as object, savedAt: now } });
}

export const SubmitKey = z.string().min(8).max(100);

/**
 * Submit an attempt: records it and its `attempt.submitted` event in this transaction; grading runs as a
 * job. Idempotent: submitting again (a retry, a double click, a second tab) returns the same attempt.
 */
export async function submitAttempt(tx: Tx, ctx: MemberContext, attemptId: string, submitKey: string, now = new Date()): Promise<Attempt> {
  const key = SubmitKey.parse(submitKey);
  const attempt = await ownAttempt(tx, ctx, attemptId);
  if (attempt.status !== 'in_progress') return attempt;
  return closeAttempt(tx, ctx.tenant.id, attempt, { submitKey: key, auto: false }, now);
}

export type SubmitReceipt = Pick<Attempt, 'id' | 'number' | 'status' | 'startedAt' | 'deadlineAt' | 'submittedAt'>;

/**
 * What a submit answers: that the attempt is recorded, nothing more. On exam day the acknowledgement is the
 * hot path; the learner's view (scores as the policy allows) is fetched afterwards, when grading has had a
 * moment. A graded attempt still waiting for release reads as submitted, as in the view.
 */
export function submitReceipt(attempt: Attempt): SubmitReceipt {
  const status = attempt.status === 'graded' && attempt.releasedAt === null ? 'submitted' : attempt.status;
  return { id: attempt.id, number: attempt.number, status, startedAt: attempt.startedAt, deadlineAt: attempt.deadlineAt, submittedAt: attempt.submittedAt };
}

async function closeAttempt(tx: Tx, tenantId: string, attempt: Attempt, how: { submitKey: string | null; auto: boolean }, now: Date): Promise<Attempt> {
  const [closed] = await tx
    .update(schema.quizAttempts)
    .set({ status: 'submitted', submittedAt: now, submitKey: how.submitKey, autoSubmitted: how.auto })
    .where(and(eq(schema.quizAttempts.id, attempt.id), eq(schema.quizAttempts.status, 'in_progress')))
    .returning();
  if (!closed) return attempt;
  await emit(tx, tenantId, 'lectern/attempt.submitted.v1', { attemptId: attempt.id, itemId: attempt.itemId, enrolmentId: attempt.enrolmentId, auto: how.auto, submittedAt: now.toISOString() });
  return closed;
}

/** Submit every open attempt whose deadline has passed (a scheduled job); answers saved in time are kept. */
export async function autoSubmitOverdue(tx: Tx, tenantId: string, now = new Date()): Promise<number> {
  const overdue = await tx
    .select()
    .from(schema.quizAttempts)
    .where(and(eq(schema.quizAttempts.status, 'in_progress'), lt(schema.quizAttempts.deadlineAt, new Date(now.getTime() - GRACE_MS))))
    .limit(500)
    .for('update', { skipLocked: true });
  for (const a of overdue) await closeAttempt(tx, tenantId, a, { submitKey: null, auto: true }, now);
  return overdue.length;
}

/**
 * Grade a submitted attempt (the `attempt.submitted` job). Auto-graded questions get their score; essays
 * wait for a person, and the attempt stays `submitted` until they are graded. Idempotent.
 */
export async function gradeAttempt(tx: Tx, tenantId: string, attemptId: string, now = new Date()): Promise<Attempt | null> {
  const [attempt] = await tx.select().from(schema.quizAttempts).where(eq(schema.quizAttempts.id, attemptId)).limit(1).for('update');
  if (!attempt || attempt.status !== 'submitted') return attempt ?? null;
  const ids = attempt.layout.map((l) => l.questionId);
  const [qs, answers] = await Promise.all([
    tx.select().from(schema.questions).where(inArray(schema.questions.id, ids)),
    tx.select().from(schema.attemptAnswers).where(eq(schema.attemptAnswers.attemptId, attemptId)),
  ]);
  const answerOf = new Map(answers.map((a) => [a.questionId, a.answer]));
  const scored = qs.map((q) => {
    const raw = answerOf.get(q.id) ?? null;
    const outcome = raw === null ? { ok: true as const, result: questionType(q.type).grade(q.definition, null, q.points) } : gradeAnswer(q.type, q.definition, raw, q.points);
    const result = outcome.ok ? outcome.result : { score: 0, correct: false };
    return { tenantId, attemptId, questionId: q.id, answer: raw as object | null, savedAt: now, score: result.score, correct: result.correct };
  });
  // Every question's score in one statement (unanswered ones get a row too, so totals add up).
  if (scored.length) {
    await tx
      .insert(schema.attemptAnswers)
      .values(scored)
      .onConflictDoUpdate({
        target: [schema.attemptAnswers.tenantId, schema.attemptAnswers.attemptId, schema.attemptAnswers.questionId],
        set: { score: sql`excluded.score`, correct: sql`excluded.correct` },
      });
  }
  await tx
    .update(schema.quizAttempts)
    .set({ pointsPossible: qs.reduce((n, q) => n + q.points, 0) })
    .where(eq(schema.quizAttempts.id, attemptId));
  return settleAttempt(tx, tenantId, attemptId, null, now);
}

/**
 * Total an attempt from its answers' scores. When no answer waits for a person it is graded (once),
 * `attempt.graded` is emitted (again after a regrade or a hand-given score), the quiz's gradebook cell
 * takes the learner's best graded attempt, and a passing attempt completes the quiz item. An attempt
 * graded only by the machine is released at once; one a person graded waits for staff to release it.
 * Used by automatic grading, hand grading and regrades alike.
 */
export async function settleAttempt(tx: Tx, tenantId: string, attemptId: string, grader: string | null, now: Date, kind: GradeChangeKind = grader ? 'manual' : 'auto'): Promise<Attempt> {
  const [attempt] = await tx.select().from(schema.quizAttempts).where(eq(schema.quizAttempts.id, attemptId));
  const [totals] = await tx.execute<{ score: string | null; waiting: number }>(sql`
    select sum(a.score) as score, count(*) filter (where a.score is null)::int as waiting
    from attempt_answers a where a.tenant_id = ${tenantId} and a.attempt_id = ${attemptId}`);
  const score = Math.round(Number(totals?.score ?? 0) * 100) / 100;
  const waiting = (totals?.waiting ?? 0) > 0;
  const becomesGraded = !waiting && attempt!.status === 'submitted';
  const releasedByMachine = becomesGraded && grader === null;
  const [settled] = await tx
    .update(schema.quizAttempts)
    .set({ score, ...(becomesGraded ? { status: 'graded' as const, gradedAt: now } : {}), ...(releasedByMachine ? { releasedAt: now } : {}) })
    .where(eq(schema.quizAttempts.id, attemptId))
    .returning();
  if (waiting) return settled!;
  await emit(tx, tenantId, 'lectern/attempt.graded.v1', { attemptId, itemId: attempt!.itemId, enrolmentId: attempt!.enrolmentId, score, pointsPossible: attempt!.pointsPossible, grader });
  await keepBestAttempt(tx, tenantId, attempt!.itemId, attempt!.enrolmentId, { userId: grader, kind }, now);
  // Passing completes the quiz, but not before the learner may see the grade (release does it then).
  if (becomesGraded && settled!.releasedAt) await completeIfPassed(tx, tenantId, settled!, now);
  return settled!;
}

/** A graded attempt at or above the quiz's pass mark (or any, without one) completes the quiz item. */
export async function completeIfPassed(tx: Tx, tenantId: string, attempt: Pick<Attempt, 'itemId' | 'enrolmentId' | 'score' | 'pointsPossible'>, now: Date): Promise<void> {
  const [row] = await tx
    .select({ item: schema.courseItems, userId: schema.enrolments.userId })
    .from(schema.courseItems)
    .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, schema.courseItems.tenantId), eq(schema.enrolments.id, attempt.enrolmentId)))
    .where(eq(schema.courseItems.id, attempt.itemId));
  const quiz = row!.item.content as QuizContent;
  const possible = attempt.pointsPossible ?? 0;
  if (quiz.passMark === null || (possible > 0 && (100 * (attempt.score ?? 0)) / possible >= quiz.passMark)) {
    await completeItem(tx, { tenant: { id: tenantId } }, { id: attempt.enrolmentId, userId: row!.userId }, row!.item, now);
  }
}

/**
 * The quiz's gradebook cell is the learner's highest graded attempt. It is visible to the learner only when
 * every graded attempt is (a hidden hand grade must not show through which attempt counts). The cell is
 * locked first, so two attempts settling at once cannot both pick a stale best.
 */
export async function keepBestAttempt(tx: Tx, tenantId: string, itemId: string, enrolmentId: string, actor: GradeActor, now: Date): Promise<void> {
  await lockCell(tx, itemId, enrolmentId);
  const graded = await tx
    .select({ id: schema.quizAttempts.id, score: schema.quizAttempts.score, pointsPossible: schema.quizAttempts.pointsPossible, releasedAt: schema.quizAttempts.releasedAt })
    .from(schema.quizAttempts)
    .where(and(eq(schema.quizAttempts.itemId, itemId), eq(schema.quizAttempts.enrolmentId, enrolmentId), eq(schema.quizAttempts.status, 'graded')))
    .orderBy(sql`${schema.quizAttempts.score} desc nulls last`, asc(schema.quizAttempts.number));
  const best = graded[0];
  if (!best) return;
  await writeGrade(
    tx,
    tenantId,
    { itemId, enrolmentId, pointsPossible: best.pointsPossible ?? 0, rawScore: best.score ?? 0, attemptId: best.id, release: graded.every((a) => a.releasedAt !== null) },
    actor,
    now,
  );
}

function allowed(policy: ResultsPolicy, quiz: QuizContent, now: Date): boolean {
  if (policy === 'never') return false;
  if (policy === 'immediately') return true;
  return quiz.dueAt !== null && new Date(quiz.dueAt) <= now;
}

export type LearnerQuestion = { id: string; type: string; promptHtml: string; points: number; display: Record<string, unknown>; answer: unknown };
export type LearnerAttemptView = {
  attempt: Pick<Attempt, 'id' | 'number' | 'status' | 'startedAt' | 'deadlineAt' | 'submittedAt'>;
  questions: LearnerQuestion[];
  /** Present only when the results policy allows; `key` (the question's definition) only when answers may be shown. */
  results: { score: number | null; pointsPossible: number | null; questions: { id: string; score: number | null; correct: boolean | null; feedback: string[]; key?: unknown }[] } | null;
};

/**
 * What the learner sees of their own attempt. This is the only way attempt data reaches a learner, so
 * the results policy is applied here: no keys, scores or feedback before it allows them.
 */
export async function learnerAttemptView(tx: Tx, ctx: MemberContext, attemptId: string, now = new Date()): Promise<LearnerAttemptView> {
  let attempt = await ownAttempt(tx, ctx, attemptId);
  if (attempt.status === 'in_progress' && pastDeadline(attempt, now)) attempt = await closeAttempt(tx, ctx.tenant.id, attempt, { submitKey: null, auto: true }, now);
  const [item] = await tx.select().from(schema.courseItems).where(eq(schema.courseItems.id, attempt.itemId));
  const quiz = quizOf(item!);
  const ids = attempt.layout.map((l) => l.questionId);
  const [qs, answers] = await Promise.all([
    tx.select().from(schema.questions).where(inArray(schema.questions.id, ids)),
    tx.select().from(schema.attemptAnswers).where(eq(schema.attemptAnswers.attemptId, attemptId)),
  ]);
  const byId = new Map(qs.map((q) => [q.id, q]));
  const answerOf = new Map(answers.map((a) => [a.questionId, a]));
  const questions = attempt.layout.map(({ questionId, seed }): LearnerQuestion => {
    const q = byId.get(questionId)!;
    const display = questionType(q.type).forLearner(q.definition);
    return { id: q.id, type: q.type, promptHtml: q.promptHtml, points: q.points, // Ordering questions are always shuffled: their order is the answer.
      display: quiz.shuffleOptions || q.type === 'ordering' ? shuffleDisplay(display, seed) : display, answer: answerOf.get(q.id)?.answer ?? null };
  });
  const closed = attempt.status !== 'in_progress';
  // Until staff release it, scores a person gave stay hidden (also while other essays still wait): the
  // attempt shows as still being graded and its score so far counts the automatic questions only.
  const unreleased = closed && attempt.releasedAt === null;
  const byHand = (questionId: string) => unreleased && !AUTO_GRADED_TYPES.includes(byId.get(questionId)!.type as never);
  const showScore = closed && allowed(quiz.showScore, quiz, now);
  const showAnswers = closed && allowed(quiz.showAnswers, quiz, now);
  const results = showScore || showAnswers
    ? {
        score: !showScore || attempt.score === null ? null : unreleased ? sumOf(questions.filter((q) => !byHand(q.id)).map((q) => answerOf.get(q.id)?.score ?? 0)) : attempt.score,
        pointsPossible: showScore ? attempt.pointsPossible : null,
        questions: questions.map((q) => {
          const stored = byId.get(q.id)!;
          const a = answerOf.get(q.id);
          return {
            id: q.id,
            score: showScore && !byHand(q.id) ? (a?.score ?? null) : null,
            correct: showAnswers && !byHand(q.id) ? (a?.correct ?? null) : null,
            feedback: showAnswers ? (questionType(stored.type).feedback?.(stored.definition, a?.answer ?? null) ?? []) : [],
            ...(showAnswers ? { key: keyForLearner(stored.definition) } : {}),
          };
        }),
      }
    : null;
  return { attempt: { id: attempt.id, number: attempt.number, status: attempt.status === 'graded' && unreleased ? 'submitted' : attempt.status, startedAt: attempt.startedAt, deadlineAt: attempt.deadlineAt, submittedAt: attempt.submittedAt }, questions, results };
}

const sumOf = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

/** Shuffle every option-like list in a learner display by the attempt's seed (stable across reloads). */
function shuffleDisplay(display: Record<string, unknown>, seed: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...display };
  for (const [k, v] of Object.entries(display)) if (Array.isArray(v)) out[k] = shuffled(v, `${seed}:${k}`);
  return out;
}

/** The answer key as a learner may see it once answers are released: without notes meant for graders. */
function keyForLearner(definition: Record<string, unknown>): Record<string, unknown> {
  const { graderNotes: _notes, ...key } = definition;
  return key;
}
