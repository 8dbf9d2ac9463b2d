import { and, eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { GradeChangeKind, RubricAssessment } from '@/db/schema/gradebook';
import { emit } from '@/lib/events/outbox';

/**
 * The one way a gradebook cell changes. Quiz settling, hand grading, overrides, excusing, CSV import and
 * releases all write through here, so every change of the counted value leaves a `grade_changes` row
 * (who, when, old → new, what kind) and a `lectern/grade.changed.v1` event in the same transaction.
 *
 * Callers authorise first; this module only keeps the cell, its history and its event consistent.
 */

export type Grade = typeof schema.grades.$inferSelect;

/** What a cell counts for in the gradebook: nothing when excused, else the override or the score. */
export function countedScore(g: Pick<Grade, 'excused' | 'overrideScore' | 'score'> | undefined): number | null {
  if (!g || g.excused) return null;
  return g.overrideScore ?? g.score;
}

export type GradeWrite = {
  itemId: string;
  enrolmentId: string;
  pointsPossible: number;
  /** The graded value before any late penalty; `undefined` leaves it as it is, `null` clears it. */
  rawScore?: number | null;
  latePenalty?: number;
  overrideScore?: number | null;
  overrideReason?: string | null;
  excused?: boolean;
  attemptId?: string | null;
  submissionVersion?: number | null;
  rubric?: RubricAssessment | null;
  comment?: string | null;
  /** True: visible to the learner now. False: hidden until released. Undefined: unchanged. */
  release?: boolean;
};

export type GradeActor = { userId: string | null; kind: GradeChangeKind; reason?: string | null };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Serialise writers of one cell for the rest of the transaction. A row lock cannot do it for a cell that
 * does not exist yet (two first writes would both see "no grade"), so this is a transaction-scoped
 * advisory lock on the (item, enrolment) pair; taking it again in the same transaction is free.
 */
export async function lockCell(tx: Tx, itemId: string, enrolmentId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`grade:${itemId}:${enrolmentId}`}, 0))`);
}

/**
 * Upsert one cell under a row lock. Returns the cell and whether its counted value changed (only then is
 * history written and the event emitted; a grade saved twice with the same value is one change).
 */
export async function writeGrade(tx: Tx, tenantId: string, input: GradeWrite, actor: GradeActor, now = new Date()): Promise<{ grade: Grade; changed: boolean }> {
  await lockCell(tx, input.itemId, input.enrolmentId);
  const [before] = await tx
    .select()
    .from(schema.grades)
    .where(and(eq(schema.grades.itemId, input.itemId), eq(schema.grades.enrolmentId, input.enrolmentId)))
    .for('update');

  const rawScore = input.rawScore === undefined ? (before?.rawScore ?? null) : input.rawScore;
  const latePenalty = input.latePenalty ?? before?.latePenalty ?? 0;
  const score = rawScore === null ? null : round2(Math.max(0, rawScore - latePenalty));
  const values = {
    tenantId,
    itemId: input.itemId,
    enrolmentId: input.enrolmentId,
    pointsPossible: input.pointsPossible,
    rawScore,
    latePenalty,
    score,
    overrideScore: input.overrideScore === undefined ? (before?.overrideScore ?? null) : input.overrideScore,
    overrideReason: input.overrideReason === undefined ? (before?.overrideReason ?? null) : input.overrideReason,
    excused: input.excused ?? before?.excused ?? false,
    attemptId: input.attemptId === undefined ? (before?.attemptId ?? null) : input.attemptId,
    submissionVersion: input.submissionVersion === undefined ? (before?.submissionVersion ?? null) : input.submissionVersion,
    rubric: input.rubric === undefined ? (before?.rubric ?? null) : input.rubric,
    comment: input.comment === undefined ? (before?.comment ?? null) : input.comment,
    gradedBy: input.rawScore !== undefined ? actor.userId : (before?.gradedBy ?? null),
    gradedAt: input.rawScore !== undefined ? now : (before?.gradedAt ?? null),
    releasedAt: input.release === undefined ? (before?.releasedAt ?? null) : input.release ? (before?.releasedAt ?? now) : null,
    updatedAt: now,
  };
  const [grade] = await tx
    .insert(schema.grades)
    .values(values)
    .onConflictDoUpdate({ target: [schema.grades.tenantId, schema.grades.itemId, schema.grades.enrolmentId], set: values })
    .returning();

  const oldScore = countedScore(before);
  const newScore = countedScore(grade);
  const changed = oldScore !== newScore || (before?.excused ?? false) !== grade!.excused || (before?.pointsPossible ?? input.pointsPossible) !== grade!.pointsPossible;
  if (changed) {
    await tx.insert(schema.gradeChanges).values({
      tenantId,
      itemId: input.itemId,
      enrolmentId: input.enrolmentId,
      oldScore,
      newScore,
      oldExcused: before?.excused ?? false,
      newExcused: grade!.excused,
      pointsPossible: grade!.pointsPossible,
      kind: actor.kind,
      actorId: actor.userId,
      reason: actor.reason ?? null,
      createdAt: now,
    });
    await emit(tx, tenantId, 'lectern/grade.changed.v1', {
      itemId: input.itemId,
      enrolmentId: input.enrolmentId,
      oldScore,
      newScore,
      excused: grade!.excused,
      pointsPossible: grade!.pointsPossible,
      grader: actor.userId,
      kind: actor.kind,
    });
  }
  return { grade: grade!, changed };
}

/**
 * Release an item's grades to its learners (the "post grades" of Canvas): every graded, hidden cell and
 * every graded, hidden quiz attempt of the item becomes visible. Returns how many cells were released and
 * the quiz attempts that were.
 */
export async function releaseItemGrades(tx: Tx, itemId: string, now = new Date()) {
  const released = await tx
    .update(schema.grades)
    .set({ releasedAt: now })
    .where(
      and(
        eq(schema.grades.itemId, itemId),
        sql`${schema.grades.releasedAt} is null`,
        sql`(${schema.grades.score} is not null or ${schema.grades.overrideScore} is not null or ${schema.grades.excused})`,
      ),
    )
    .returning({ enrolmentId: schema.grades.enrolmentId });
  const attempts = await tx
    .update(schema.quizAttempts)
    .set({ releasedAt: now })
    .where(and(eq(schema.quizAttempts.itemId, itemId), eq(schema.quizAttempts.status, 'graded'), sql`${schema.quizAttempts.releasedAt} is null`))
    .returning({ itemId: schema.quizAttempts.itemId, enrolmentId: schema.quizAttempts.enrolmentId, score: schema.quizAttempts.score, pointsPossible: schema.quizAttempts.pointsPossible });
  return { cells: released.length, attempts };
}
