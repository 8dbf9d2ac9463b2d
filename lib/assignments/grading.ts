import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertCanTeach } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { findItem } from '@/lib/courses/structure';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { countedScore, writeGrade, type Grade } from '@/lib/gradebook/grades';
import { latePenalty, LIMITS, scoreRubric, type AssignmentContent } from './rules';
import { assignmentContent, toView, type SubmissionView } from './submissions';

/**
 * The staff side of assignments: who has handed in what, one learner's submission laid out for grading,
 * and the grade itself. Course staff only (instructors, TAs, org admins); hand grades stay hidden from the
 * learner until staff release the item's grades (lib/gradebook/release.ts).
 */

export type LearnerState = 'not_submitted' | 'submitted' | 'graded_hidden' | 'released';

export type LearnerRow = {
  userId: string;
  enrolmentId: string;
  name: string;
  email: string;
  latestVersion: number | null;
  submittedAt: Date | null;
  lateDays: number;
  gradedVersion: number | null;
  score: number | null;
  state: LearnerState;
  /** A submission (or a newer version than the graded one) waits for a grade. */
  waiting: boolean;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

function isGraded(g: Pick<Grade, 'score' | 'overrideScore' | 'excused'> | null): boolean {
  return Boolean(g && (g.score !== null || g.overrideScore !== null || g.excused));
}

/**
 * Every active learner of the course with their latest submission and grade of each given assignment, by
 * name (one statement for all the assignments: the queue page lists every assignment of the course).
 */
async function learnerRows(tx: Tx, courseId: string, itemIds: string[]): Promise<(LearnerRow & { itemId: string })[]> {
  if (!itemIds.length) return [];
  const latest = tx
    .select({
      itemId: schema.assignmentSubmissions.itemId,
      enrolmentId: schema.assignmentSubmissions.enrolmentId,
      latestVersion: sql<number>`max(${schema.assignmentSubmissions.version})::int`.as('latest_version'),
    })
    .from(schema.assignmentSubmissions)
    .where(inArray(schema.assignmentSubmissions.itemId, itemIds))
    .groupBy(schema.assignmentSubmissions.itemId, schema.assignmentSubmissions.enrolmentId)
    .as('latest');
  const rows = await tx
    .select({
      itemId: schema.courseItems.id,
      userId: schema.enrolments.userId,
      enrolmentId: schema.enrolments.id,
      name: schema.users.name,
      email: schema.users.email,
      latestVersion: latest.latestVersion,
      submittedAt: schema.assignmentSubmissions.submittedAt,
      lateDays: schema.assignmentSubmissions.lateDays,
      grade: schema.grades,
    })
    .from(schema.enrolments)
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .innerJoin(schema.courseItems, and(eq(schema.courseItems.tenantId, schema.enrolments.tenantId), inArray(schema.courseItems.id, itemIds)))
    .leftJoin(latest, and(eq(latest.itemId, schema.courseItems.id), eq(latest.enrolmentId, schema.enrolments.id)))
    .leftJoin(
      schema.assignmentSubmissions,
      and(
        eq(schema.assignmentSubmissions.itemId, schema.courseItems.id),
        eq(schema.assignmentSubmissions.enrolmentId, schema.enrolments.id),
        eq(schema.assignmentSubmissions.version, latest.latestVersion),
      ),
    )
    .leftJoin(schema.grades, and(eq(schema.grades.itemId, schema.courseItems.id), eq(schema.grades.enrolmentId, schema.enrolments.id)))
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.role, 'learner'), eq(schema.enrolments.status, 'active')))
    .orderBy(asc(schema.users.name), asc(schema.enrolments.id));
  return rows.map((r) => {
    const graded = isGraded(r.grade);
    const waiting = r.latestVersion !== null && (!graded || (r.grade?.submissionVersion !== null && r.latestVersion > (r.grade?.submissionVersion ?? 0)));
    const state: LearnerState = graded ? (r.grade!.releasedAt ? 'released' : 'graded_hidden') : r.latestVersion !== null ? 'submitted' : 'not_submitted';
    return {
      itemId: r.itemId,
      userId: r.userId,
      enrolmentId: r.enrolmentId,
      name: r.name,
      email: r.email,
      latestVersion: r.latestVersion,
      submittedAt: r.submittedAt,
      lateDays: r.lateDays ?? 0,
      gradedVersion: r.grade?.submissionVersion ?? null,
      score: countedScore(r.grade ?? undefined),
      state,
      waiting,
    };
  });
}

async function assignmentForStaff(tx: Tx, ctx: MemberContext, itemId: string) {
  if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
  const item = await findItem(tx, itemId);
  const content = assignmentContent(item);
  await assertCanTeach(tx, ctx, item.courseId);
  const [course] = await tx.select({ slug: schema.courses.slug, title: schema.courses.title }).from(schema.courses).where(eq(schema.courses.id, item.courseId)).limit(1);
  return { item, content, course: { id: item.courseId, slug: course!.slug, title: course!.title } };
}

export type AssignmentQueueRow = { itemId: string; title: string; userId: string; name: string; email: string; version: number; submittedAt: Date | null; lateDays: number; regrade: boolean };

/**
 * The assignments half of a course's grading queue: every assignment of the course, with its learners'
 * states counted, and the submissions waiting for a grade (ungraded, or resubmitted since), oldest first.
 */
export async function assignmentQueue(tx: Tx, ctx: MemberContext, courseSlug: string) {
  const course = await findCourseBySlug(tx, courseSlug);
  await assertCanTeach(tx, ctx, course.id);
  const items = await tx
    .select({ id: schema.courseItems.id, title: schema.courseItems.title, content: schema.courseItems.content })
    .from(schema.courseItems)
    .where(and(eq(schema.courseItems.courseId, course.id), eq(schema.courseItems.kind, 'assignment')))
    .orderBy(asc(schema.courseItems.position));
  const assignments = [];
  const waiting: AssignmentQueueRow[] = [];
  const all = await learnerRows(tx, course.id, items.map((i) => i.id));
  for (const item of items) {
    const rows = all.filter((r) => r.itemId === item.id);
    const counts = { not_submitted: 0, submitted: 0, graded_hidden: 0, released: 0 } satisfies Record<LearnerState, number>;
    for (const r of rows) counts[r.state] += 1;
    assignments.push({ id: item.id, title: item.title, dueAt: (item.content as AssignmentContent).dueAt, counts, waiting: rows.filter((r) => r.waiting).length });
    for (const r of rows.filter((x) => x.waiting)) {
      waiting.push({ itemId: item.id, title: item.title, userId: r.userId, name: r.name, email: r.email, version: r.latestVersion!, submittedAt: r.submittedAt, lateDays: r.lateDays, regrade: r.gradedVersion !== null });
    }
  }
  waiting.sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0));
  return { course: { id: course.id, slug: course.slug, title: course.title }, assignments, waiting };
}

/** One assignment's learners and their states (not submitted / submitted / graded, hidden / released). */
export async function submissionsForGrading(tx: Tx, ctx: MemberContext, itemId: string) {
  const { item, content, course } = await assignmentForStaff(tx, ctx, itemId);
  const learners = await learnerRows(tx, course.id, [item.id]);
  return { course, item: { id: item.id, title: item.title }, content, learners };
}

/**
 * One learner's submission to an assignment, laid out for grading: every version (newest first), the grade
 * so far, and the learners before and after in the roster for "next learner".
 */
export async function submissionForGrading(tx: Tx, ctx: MemberContext, itemId: string, userId: string) {
  const { item, content, course } = await assignmentForStaff(tx, ctx, itemId);
  if (!z.uuid().safeParse(userId).success) throw new NotFoundError('learnerNotFound');
  const learners = await learnerRows(tx, course.id, [item.id]);
  const pos = learners.findIndex((l) => l.userId === userId);
  if (pos < 0) throw new NotFoundError('learnerNotFound');
  const learner = learners[pos]!;
  const [rows, [grade]] = await Promise.all([
    tx
      .select()
      .from(schema.assignmentSubmissions)
      .where(and(eq(schema.assignmentSubmissions.itemId, item.id), eq(schema.assignmentSubmissions.enrolmentId, learner.enrolmentId)))
      .orderBy(asc(schema.assignmentSubmissions.version)),
    tx.select().from(schema.grades).where(and(eq(schema.grades.itemId, item.id), eq(schema.grades.enrolmentId, learner.enrolmentId))).limit(1),
  ]);
  const versions: SubmissionView[] = rows.reverse().map((s) => toView(s, content));
  return {
    course,
    item: { id: item.id, title: item.title },
    content,
    learner,
    versions,
    grade: grade ?? null,
    /** Learners whose grade on this item is saved but not released yet (for the release dialog). */
    hiddenCount: learners.filter((l) => l.state === 'graded_hidden').length,
    previousUserId: learners[pos - 1]?.userId ?? null,
    nextUserId: learners[pos + 1]?.userId ?? null,
    // "Save and next" prefers the next learner still waiting, wrapping round; else the next in the roster.
    nextWaitingUserId: [...learners.slice(pos + 1), ...learners.slice(0, pos)].find((l) => l.waiting)?.userId ?? null,
  };
}

export type SubmissionForGrading = Awaited<ReturnType<typeof submissionForGrading>>;

export const GradeInput = z.object({
  /** The version graded; the latest when left out. */
  version: z.number().int().min(1).optional(),
  /** Rubric choices `{ criterionId: { levelId, comment? } }`; required (and only allowed) with a rubric. */
  rubric: z.record(z.string(), z.unknown()).optional(),
  /** Without a rubric: the points given, 0..points possible. */
  points: z.number().optional(),
  comment: z.string().optional(),
});
export type GradeInput = z.infer<typeof GradeInput>;

/**
 * Grade one learner's submission: rubric choices are checked against the rubric (forged criteria and
 * levels refused; the points come from the rubric), or a points value within range; the late penalty of
 * the graded version is taken off. Written through writeGrade (history + event), hidden from the learner
 * unless the item's grades were already released to them, and audited.
 */
export async function gradeSubmission(tx: Tx, ctx: MemberContext, itemId: string, userId: string, raw: GradeInput, now = new Date()): Promise<Grade> {
  const input = GradeInput.parse(raw);
  const view = await submissionForGrading(tx, ctx, itemId, userId);
  const { content } = view;
  const submission = input.version === undefined ? view.versions[0] : view.versions.find((s) => s.version === input.version);
  if (!submission) throw new ValidationError('submissionMissing', { field: 'version' });
  const comment = input.comment?.trim() ?? '';
  if (comment.length > LIMITS.comment) throw new ValidationError('commentTooLong', { field: 'comment', params: { limit: LIMITS.comment } });

  let rawScore: number;
  let rubric: Record<string, { levelId: string; points: number; comment?: string }> | null = null;
  if (content.rubric) {
    if (!input.rubric) throw new ValidationError('rubricIncomplete', { field: 'rubric', params: { n: 1, title: content.rubric.criteria[0]!.title } });
    const scored = scoreRubric(content.rubric, input.rubric);
    rawScore = scored.raw;
    rubric = scored.assessment;
  } else {
    if (input.rubric && Object.keys(input.rubric).length) throw new ValidationError('rubricCriterionUnknown', { field: 'rubric' });
    const p = input.points;
    if (p === undefined || !Number.isFinite(p) || p < 0 || p > content.pointsPossible) throw new ValidationError('scoreOutOfRange', { field: 'points', params: { points: content.pointsPossible } });
    rawScore = round2(p);
  }
  const penalty = latePenalty(rawScore, content.latePenaltyPercent, submission.lateDays);
  const { grade } = await writeGrade(
    tx,
    ctx.tenant.id,
    {
      itemId: view.item.id,
      enrolmentId: view.learner.enrolmentId,
      pointsPossible: content.pointsPossible,
      rawScore,
      latePenalty: penalty,
      submissionVersion: submission.version,
      rubric,
      comment: comment || null,
      // Hidden until staff release the item's grades; a grade already released stays visible when corrected.
      release: view.grade?.releasedAt ? undefined : false,
    },
    { userId: ctx.user.id, kind: 'manual' },
    now,
  );
  await recordAudit(tx, ctx, {
    action: 'assignment.graded',
    targetType: 'item',
    targetId: view.item.id,
    targetLabel: view.item.title,
    before: view.grade ? { score: view.grade.score, submissionVersion: view.grade.submissionVersion } : null,
    after: { learner: view.learner.email, submissionVersion: submission.version, rawScore, latePenalty: penalty, score: grade.score },
  });
  return grade;
}
