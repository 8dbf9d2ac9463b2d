import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanTeach } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { findItem } from '@/lib/courses/structure';
import { NotFoundError } from '@/lib/errors';
import { isQuestionType, questionType } from './questions';

/**
 * The staff side of grading: which submitted attempts wait for a person (essays), and one attempt laid out
 * for grading. Course staff only (instructors, TAs, org admins); grader notes are visible to them.
 */

export type QueueRow = {
  attemptId: string;
  attemptNumber: number;
  itemId: string;
  quizTitle: string;
  learnerName: string;
  learnerEmail: string;
  submittedAt: Date | null;
  waiting: number;
};

/** Submitted attempts with answers still unscored, oldest submission first, for one course (a fixed number of queries). */
async function queueRows(tx: Tx, courseId: string): Promise<QueueRow[]> {
  const waiting = tx
    .select({ attemptId: schema.attemptAnswers.attemptId, waiting: sql<number>`count(*)::int`.as('waiting') })
    .from(schema.attemptAnswers)
    .where(isNull(schema.attemptAnswers.score))
    .groupBy(schema.attemptAnswers.attemptId)
    .as('waiting');
  return tx
    .select({
      attemptId: schema.quizAttempts.id,
      attemptNumber: schema.quizAttempts.number,
      itemId: schema.courseItems.id,
      quizTitle: schema.courseItems.title,
      learnerName: schema.users.name,
      learnerEmail: schema.users.email,
      submittedAt: schema.quizAttempts.submittedAt,
      waiting: waiting.waiting,
    })
    .from(schema.quizAttempts)
    .innerJoin(waiting, eq(waiting.attemptId, schema.quizAttempts.id))
    .innerJoin(schema.courseItems, and(eq(schema.courseItems.tenantId, schema.quizAttempts.tenantId), eq(schema.courseItems.id, schema.quizAttempts.itemId)))
    .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, schema.quizAttempts.tenantId), eq(schema.enrolments.id, schema.quizAttempts.enrolmentId)))
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .where(and(eq(schema.courseItems.courseId, courseId), eq(schema.quizAttempts.status, 'submitted')))
    .orderBy(asc(schema.quizAttempts.submittedAt), asc(schema.quizAttempts.id));
}

/** Quizzes with attempts a person graded that learners cannot see yet (waiting for "Release grades"). */
async function unreleasedQuizzes(tx: Tx, courseId: string): Promise<{ itemId: string; title: string; hidden: number }[]> {
  return tx
    .select({ itemId: schema.courseItems.id, title: schema.courseItems.title, hidden: sql<number>`count(*)::int` })
    .from(schema.quizAttempts)
    .innerJoin(schema.courseItems, and(eq(schema.courseItems.tenantId, schema.quizAttempts.tenantId), eq(schema.courseItems.id, schema.quizAttempts.itemId)))
    .where(and(eq(schema.courseItems.courseId, courseId), eq(schema.quizAttempts.status, 'graded'), isNull(schema.quizAttempts.releasedAt)))
    .groupBy(schema.courseItems.id, schema.courseItems.title)
    .orderBy(asc(schema.courseItems.title));
}

/** The course's grading queue: attempts waiting for a person, oldest first, and quizzes whose grades wait for release. */
export async function gradingQueue(tx: Tx, ctx: MemberContext, courseSlug: string) {
  const course = await findCourseBySlug(tx, courseSlug);
  await assertCanTeach(tx, ctx, course.id);
  const [rows, toRelease] = await Promise.all([queueRows(tx, course.id), unreleasedQuizzes(tx, course.id)]);
  return { course: { id: course.id, slug: course.slug, title: course.title }, rows, toRelease };
}

export type GradingQuestion = {
  id: string;
  type: string;
  promptHtml: string;
  points: number;
  /** Learner-safe display data (options, items) to show the answer against. */
  display: unknown;
  answer: unknown;
  score: number | null;
  correct: boolean | null;
  /** Essays only: the rubric / model answer for graders. */
  graderNotes: string | null;
};

/** One attempt for grading: learner, quiz, every question with the answer and score, and its neighbours in the queue. */
export async function attemptForGrading(tx: Tx, ctx: MemberContext, attemptId: string) {
  if (!z.uuid().safeParse(attemptId).success) throw new NotFoundError('attemptNotFound');
  const [row] = await tx
    .select({ attempt: schema.quizAttempts, learnerName: schema.users.name, learnerEmail: schema.users.email })
    .from(schema.quizAttempts)
    .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, schema.quizAttempts.tenantId), eq(schema.enrolments.id, schema.quizAttempts.enrolmentId)))
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .where(eq(schema.quizAttempts.id, attemptId))
    .limit(1);
  if (!row) throw new NotFoundError('attemptNotFound');
  const { attempt } = row;
  const item = await findItem(tx, attempt.itemId);
  await assertCanTeach(tx, ctx, item.courseId);
  const ids = attempt.layout.map((l) => l.questionId);
  const [qs, answers, queue] = await Promise.all([
    ids.length ? tx.select().from(schema.questions).where(inArray(schema.questions.id, ids)) : Promise.resolve([]),
    tx.select().from(schema.attemptAnswers).where(eq(schema.attemptAnswers.attemptId, attemptId)),
    queueRows(tx, item.courseId),
  ]);
  const byId = new Map(qs.map((q) => [q.id, q]));
  const answerOf = new Map(answers.map((a) => [a.questionId, a]));
  const questions: GradingQuestion[] = [];
  for (const l of attempt.layout) {
    const q = byId.get(l.questionId);
    if (!q) continue;
    const a = answerOf.get(q.id);
    const def = q.definition as Record<string, unknown>;
    questions.push({
      id: q.id,
      type: q.type,
      promptHtml: q.promptHtml,
      points: q.points,
      display: isQuestionType(q.type) ? questionType(q.type).forLearner(q.definition) : null,
      answer: a?.answer ?? null,
      score: a?.score ?? null,
      correct: a?.correct ?? null,
      graderNotes: q.type === 'essay' && typeof def.graderNotes === 'string' ? def.graderNotes : null,
    });
  }
  const pos = queue.findIndex((r) => r.attemptId === attemptId);
  // Not in the queue (already graded): "next" is the oldest waiting attempt.
  const previousId = pos > 0 ? queue[pos - 1]!.attemptId : null;
  const nextId = pos >= 0 ? (queue[pos + 1]?.attemptId ?? null) : (queue[0]?.attemptId ?? null);
  const course = await tx.select({ slug: schema.courses.slug }).from(schema.courses).where(eq(schema.courses.id, item.courseId)).limit(1);
  return {
    attempt: {
      id: attempt.id,
      number: attempt.number,
      status: attempt.status,
      submittedAt: attempt.submittedAt,
      score: attempt.score,
      pointsPossible: attempt.pointsPossible,
    },
    course: { id: item.courseId, slug: course[0]!.slug },
    quiz: { id: item.id, title: item.title },
    learner: { name: row.learnerName, email: row.learnerEmail },
    questions,
    waiting: questions.filter((q) => q.score === null).length,
    previousId,
    nextId,
  };
}

export type AttemptForGrading = Awaited<ReturnType<typeof attemptForGrading>>;
