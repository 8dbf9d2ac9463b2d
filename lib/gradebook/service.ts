import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanTeach, type CourseAccess } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { PageParam } from '@/lib/schemas';
import { computeTotals, loadCategories, loadCells, loadGradebookItems, UNCATEGORISED, type Cell, type GradebookCategory, type GradebookItem, type LearnerTotals } from './compute';
import { writeGrade } from './grades';
import { GRADABLE_KINDS } from './release';
import { effectiveScheme, letterFor, type GradingScheme } from './scheme';

export const GRADEBOOK_PAGE_SIZE = 50;

export const GradebookQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(['name', 'total']).catch('name'),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  page: PageParam,
});
export type GradebookQuery = z.infer<typeof GradebookQuery>;

export type CategoryColumn = GradebookCategory & { items: GradebookItem[] };

/** The course's columns: its categories in order (each with its items), then the uncategorised items. */
function groupColumns(items: GradebookItem[], categories: GradebookCategory[]): CategoryColumn[] {
  const groups: CategoryColumn[] = categories.map((c) => ({ ...c, items: items.filter((i) => i.categoryId === c.id) }));
  const loose = items.filter((i) => i.categoryId === null);
  if (loose.length) groups.push({ id: UNCATEGORISED, name: '', weight: 0, dropLowest: 0, position: Number.MAX_SAFE_INTEGER, items: loose });
  return groups;
}

export type GradebookRow = LearnerTotals & { letter: string | null; cells: Record<string, Cell> };

function withLetters(rows: LearnerTotals[], cells: Cell[], scheme: GradingScheme): GradebookRow[] {
  const byLearner = new Map<string, Record<string, Cell>>();
  for (const c of cells) {
    let m = byLearner.get(c.enrolmentId);
    if (!m) byLearner.set(c.enrolmentId, (m = {}));
    m[c.itemId] = c;
  }
  return rows.map((r) => ({ ...r, letter: letterFor(r.total, scheme), cells: byLearner.get(r.enrolmentId) ?? {} }));
}

/** Weighted when any category has a weight; otherwise every point counts the same (see README). */
function weightingOf(categories: GradebookCategory[]): 'weighted' | 'points' {
  return categories.some((c) => c.weight > 0) ? 'weighted' : 'points';
}

/** The staff gradebook: a page of learners with their cells, category percentages, total and letter. */
export async function gradebookPage(tx: Tx, ctx: MemberContext, courseSlug: string, raw: Record<string, unknown>) {
  const course = await findCourseBySlug(tx, courseSlug);
  const access = await assertCanTeach(tx, ctx, course.id);
  const query = GradebookQuery.parse(raw);
  const direction = query.dir ?? (query.sort === 'total' ? 'desc' : 'asc');
  const [items, categories, totals] = await Promise.all([
    loadGradebookItems(tx, course.id),
    loadCategories(tx, course.id),
    computeTotals(tx, { courseId: course.id, search: query.q, sort: query.sort, direction, page: { number: query.page, size: GRADEBOOK_PAGE_SIZE } }),
  ]);
  const scheme = effectiveScheme(course.gradingScheme);
  const cells = await loadCells(tx, course.id, totals.rows.map((r) => r.enrolmentId));
  return {
    course,
    access,
    columns: groupColumns(items, categories),
    items,
    weighting: weightingOf(categories),
    scheme,
    rows: withLetters(totals.rows, cells, scheme),
    total: totals.matched,
    page: query.page,
    pageSize: GRADEBOOK_PAGE_SIZE,
    query: { ...query, dir: direction },
  };
}

/** Every learner of the course with every cell (the CSV export); staff only. */
export async function gradebookAll(tx: Tx, ctx: MemberContext, courseId: string) {
  const [course] = await tx.select().from(schema.courses).where(eq(schema.courses.id, courseId)).limit(1);
  if (!course) throw new NotFoundError('courseNotFound');
  await assertCanTeach(tx, ctx, course.id);
  const [items, categories, totals, cells] = await Promise.all([
    loadGradebookItems(tx, course.id),
    loadCategories(tx, course.id),
    computeTotals(tx, { courseId: course.id, sort: 'name' }),
    loadCells(tx, course.id, 'all'),
  ]);
  const scheme = effectiveScheme(course.gradingScheme);
  return { course, columns: groupColumns(items, categories), items, weighting: weightingOf(categories), rows: withLetters(totals.rows, cells, scheme) };
}

/**
 * A learner's own grades in a course: only their enrolment, only released cells (hidden ones show as not
 * released), categories, total and letter computed from released cells alone.
 */
export async function myGrades(tx: Tx, ctx: MemberContext, courseSlug: string) {
  const course = await findCourseBySlug(tx, courseSlug);
  const [enrolment] = await tx
    .select()
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.status, 'active'), eq(schema.enrolments.role, 'learner')))
    .limit(1);
  if (!enrolment) throw new ValidationError('notEnrolled');
  const [items, categories, totals, cells] = await Promise.all([
    loadGradebookItems(tx, course.id),
    loadCategories(tx, course.id),
    computeTotals(tx, { courseId: course.id, enrolmentId: enrolment.id, releasedOnly: true }),
    loadCells(tx, course.id, [enrolment.id]),
  ]);
  const scheme = effectiveScheme(course.gradingScheme);
  const row = totals.rows[0];
  // A cell not yet released is shown as hidden: its value never leaves the server.
  const visible: Record<string, Cell | { hidden: true }> = {};
  for (const c of cells) visible[c.itemId] = c.released ? c : { hidden: true };
  return {
    course,
    columns: groupColumns(items, categories),
    weighting: weightingOf(categories),
    categories: row?.categories ?? {},
    dropped: row?.dropped ?? [],
    total: row?.total ?? null,
    letter: letterFor(row?.total ?? null, scheme),
    cells: visible,
  };
}

// ------------------------------------------------------------------------------------------- cells

const Ids = z.object({ itemId: z.uuid(), enrolmentId: z.uuid() });

type CellTarget = { item: { id: string; title: string; kind: string; courseId: string }; enrolment: { id: string; userId: string }; learner: { name: string; email: string }; access: CourseAccess };

/** The item (gradable, of a course the member teaches) and the learner's active enrolment in that course. */
async function cellTarget(tx: Tx, ctx: MemberContext, raw: { itemId: string; enrolmentId: string }): Promise<CellTarget> {
  const ids = Ids.safeParse(raw);
  if (!ids.success) throw new NotFoundError('itemNotFound');
  const [item] = await tx
    .select({ id: schema.courseItems.id, title: schema.courseItems.title, kind: schema.courseItems.kind, courseId: schema.courseItems.courseId })
    .from(schema.courseItems)
    .where(eq(schema.courseItems.id, ids.data.itemId))
    .limit(1);
  if (!item || !(GRADABLE_KINDS as readonly string[]).includes(item.kind)) throw new NotFoundError('itemNotFound');
  const access = await assertCanTeach(tx, ctx, item.courseId);
  const [row] = await tx
    .select({ id: schema.enrolments.id, userId: schema.enrolments.userId, name: schema.users.name, email: schema.users.email })
    .from(schema.enrolments)
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .where(and(eq(schema.enrolments.id, ids.data.enrolmentId), eq(schema.enrolments.courseId, item.courseId), eq(schema.enrolments.role, 'learner')))
    .limit(1);
  if (!row) throw new NotFoundError('enrolmentNotFound');
  return { item, enrolment: { id: row.id, userId: row.userId }, learner: { name: row.name, email: row.email }, access };
}

async function currentCell(tx: Tx, itemId: string, enrolmentId: string) {
  const [g] = await tx.select().from(schema.grades).where(and(eq(schema.grades.itemId, itemId), eq(schema.grades.enrolmentId, enrolmentId))).limit(1);
  return g ?? null;
}

/** Points possible for a new cell: the item's (from its other cells, or the item itself); refused when unknown. */
async function pointsFor(tx: Tx, courseId: string, itemId: string, existing: { pointsPossible: number } | null): Promise<number> {
  if (existing) return existing.pointsPossible;
  const item = (await loadGradebookItems(tx, courseId)).find((i) => i.id === itemId);
  if (item?.pointsPossible === null || item?.pointsPossible === undefined) throw new ValidationError('gradePointsUnknown');
  return item.pointsPossible;
}

export type CellHistoryEntry = {
  id: string;
  at: Date;
  kind: string;
  actorName: string | null;
  oldScore: number | null;
  newScore: number | null;
  oldExcused: boolean;
  newExcused: boolean;
  pointsPossible: number;
  reason: string | null;
};

/** One cell for its editor: the learner, the item, the current values and its history, newest first. */
export async function cellDetail(tx: Tx, ctx: MemberContext, raw: { itemId: string; enrolmentId: string }) {
  const target = await cellTarget(tx, ctx, raw);
  const [grade, history, items] = await Promise.all([
    currentCell(tx, target.item.id, target.enrolment.id),
    tx
      .select({ change: schema.gradeChanges, actorName: schema.users.name })
      .from(schema.gradeChanges)
      .leftJoin(schema.users, eq(schema.users.id, schema.gradeChanges.actorId))
      .where(and(eq(schema.gradeChanges.itemId, target.item.id), eq(schema.gradeChanges.enrolmentId, target.enrolment.id)))
      .orderBy(desc(schema.gradeChanges.createdAt), desc(schema.gradeChanges.id))
      .limit(100),
    loadGradebookItems(tx, target.item.courseId),
  ]);
  return {
    item: target.item,
    learner: target.learner,
    enrolmentId: target.enrolment.id,
    pointsPossible: grade?.pointsPossible ?? items.find((i) => i.id === target.item.id)?.pointsPossible ?? null,
    grade: grade && {
      score: grade.score,
      overrideScore: grade.overrideScore,
      overrideReason: grade.overrideReason,
      excused: grade.excused,
      released: grade.releasedAt !== null,
    },
    history: history.map(
      (h): CellHistoryEntry => ({
        id: h.change.id,
        at: h.change.createdAt,
        kind: h.change.kind,
        actorName: h.actorName,
        oldScore: h.change.oldScore,
        newScore: h.change.newScore,
        oldExcused: h.change.oldExcused,
        newExcused: h.change.newExcused,
        pointsPossible: h.change.pointsPossible,
        reason: h.change.reason,
      }),
    ),
  };
}

const Reason = z.string().trim().max(500);

export const CellEdit = z.discriminatedUnion('action', [
  z.object({ action: z.literal('override'), itemId: z.string(), enrolmentId: z.string(), score: z.string().trim().max(20), reason: Reason }),
  z.object({ action: z.literal('clear'), itemId: z.string(), enrolmentId: z.string(), reason: Reason.default('') }),
  z.object({ action: z.literal('excuse'), itemId: z.string(), enrolmentId: z.string(), reason: Reason.default('') }),
  z.object({ action: z.literal('unexcuse'), itemId: z.string(), enrolmentId: z.string(), reason: Reason.default('') }),
]);
export type CellEdit = z.infer<typeof CellEdit>;

/** A score typed by a person: a number, at least 0, at most the points possible; two decimals kept. */
export function parseScore(raw: string, pointsPossible: number, field = 'score'): number {
  const text = raw.trim();
  if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(text)) throw new ValidationError('gradeScoreInvalid', { field });
  const n = Number(text);
  if (n < 0) throw new ValidationError('gradeScoreNegative', { field });
  if (n > pointsPossible) throw new ValidationError('gradeScoreAbovePoints', { field, params: { points: pointsPossible } });
  return Math.round(n * 100) / 100;
}

/**
 * Staff change one cell: an override (reason required), clearing the override, excusing or un-excusing.
 * Course staff may do this (instructors and TAs, as Canvas lets TAs grade); every change goes through
 * writeGrade, which records who, when, old → new and the reason, and emits grade.changed.
 */
export async function editCell(tx: Tx, ctx: MemberContext, raw: CellEdit) {
  const input = CellEdit.parse(raw);
  const target = await cellTarget(tx, ctx, input);
  const before = await currentCell(tx, target.item.id, target.enrolment.id);
  const base = { itemId: target.item.id, enrolmentId: target.enrolment.id };
  const reason = input.reason || null;
  switch (input.action) {
    case 'override': {
      const points = await pointsFor(tx, target.item.courseId, target.item.id, before);
      const score = parseScore(input.score, points);
      if (!reason) throw new ValidationError('gradeReasonRequired', { field: 'reason' });
      return writeGrade(tx, ctx.tenant.id, { ...base, pointsPossible: points, overrideScore: score, overrideReason: reason }, { userId: ctx.user.id, kind: 'override', reason });
    }
    case 'clear': {
      if (!before || before.overrideScore === null) return { grade: before, changed: false };
      return writeGrade(tx, ctx.tenant.id, { ...base, pointsPossible: before.pointsPossible, overrideScore: null, overrideReason: null }, { userId: ctx.user.id, kind: 'override', reason });
    }
    case 'excuse':
    case 'unexcuse': {
      const excused = input.action === 'excuse';
      if ((before?.excused ?? false) === excused) return { grade: before, changed: false };
      const points = await pointsFor(tx, target.item.courseId, target.item.id, before);
      return writeGrade(tx, ctx.tenant.id, { ...base, pointsPossible: points, excused }, { userId: ctx.user.id, kind: 'excused', reason });
    }
  }
}
