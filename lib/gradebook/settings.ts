import { and, eq, inArray, max } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertCanAuthor, assertCanTeach, findCourseById } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';
import { loadCategories, loadGradebookItems } from './compute';
import { GRADABLE_KINDS } from './release';
import { DEFAULT_SCHEME, schemeProblem, type GradingScheme } from './scheme';

/**
 * Gradebook settings: categories (name, weight, drop lowest N, order), which category each gradable item
 * is in, and the course's letter scheme. Only the course's authors (instructors, org admins) change them;
 * TAs may read them. Every change is audited.
 */

export const MAX_CATEGORIES = 30;

export const CategoryInput = z.object({
  name: z.string().trim().min(1, v('categoryNameMissing')).max(80, v('categoryNameTooLong')),
  weight: z.coerce.number(v('categoryWeightInvalid')).min(0, v('categoryWeightInvalid')).max(100, v('categoryWeightInvalid')).multipleOf(0.01, v('categoryWeightInvalid')),
  dropLowest: z.coerce.number(v('categoryDropInvalid')).int(v('categoryDropInvalid')).min(0, v('categoryDropInvalid')).max(50, v('categoryDropInvalid')),
  // An empty field means "at the end" (new) or "where it is" (edit), not position 0.
  position: z.preprocess((x) => (x === '' || x === null ? undefined : x), z.coerce.number().int().min(0).max(1000).optional()),
});
export type CategoryInput = z.input<typeof CategoryInput>;

/** Everything the settings page shows; staff who only teach (TAs) get it read-only. */
export async function gradebookSettings(tx: Tx, ctx: MemberContext, courseSlug: string) {
  const course = await findCourseBySlug(tx, courseSlug);
  const access = await assertCanTeach(tx, ctx, course.id);
  const [categories, items] = await Promise.all([loadCategories(tx, course.id), loadGradebookItems(tx, course.id)]);
  return { course, access, categories, items, scheme: course.gradingScheme ?? DEFAULT_SCHEME, customScheme: course.gradingScheme !== null };
}

async function findCategory(tx: Tx, categoryId: string) {
  if (!z.uuid().safeParse(categoryId).success) throw new NotFoundError('categoryNotFound');
  const [c] = await tx.select().from(schema.gradeCategories).where(eq(schema.gradeCategories.id, categoryId)).limit(1);
  if (!c) throw new NotFoundError('categoryNotFound');
  return c;
}

export async function createCategory(tx: Tx, ctx: MemberContext, courseId: string, raw: CategoryInput) {
  await assertCanAuthor(tx, ctx, courseId);
  const input = CategoryInput.parse(raw);
  const existing = await tx.select({ n: max(schema.gradeCategories.position) }).from(schema.gradeCategories).where(eq(schema.gradeCategories.courseId, courseId));
  const count = (await loadCategories(tx, courseId)).length;
  if (count >= MAX_CATEGORIES) throw new ValidationError('categoryTooMany', { params: { max: MAX_CATEGORIES } });
  const [category] = await tx
    .insert(schema.gradeCategories)
    .values({ tenantId: ctx.tenant.id, courseId, name: input.name, weight: input.weight, dropLowest: input.dropLowest, position: input.position ?? (existing[0]?.n ?? -1) + 1 })
    .returning();
  await recordAudit(tx, ctx, { action: 'gradebook.category.created', targetType: 'grade_category', targetId: category!.id, targetLabel: input.name, after: input });
  return category!;
}

export async function updateCategory(tx: Tx, ctx: MemberContext, categoryId: string, raw: CategoryInput) {
  const before = await findCategory(tx, categoryId);
  await assertCanAuthor(tx, ctx, before.courseId);
  const input = CategoryInput.parse(raw);
  const [after] = await tx
    .update(schema.gradeCategories)
    .set({ name: input.name, weight: input.weight, dropLowest: input.dropLowest, position: input.position ?? before.position })
    .where(eq(schema.gradeCategories.id, categoryId))
    .returning();
  await recordAudit(tx, ctx, {
    action: 'gradebook.category.updated',
    targetType: 'grade_category',
    targetId: categoryId,
    targetLabel: input.name,
    before: { name: before.name, weight: before.weight, dropLowest: before.dropLowest, position: before.position },
    after: { name: after!.name, weight: after!.weight, dropLowest: after!.dropLowest, position: after!.position },
  });
  return after!;
}

/** Deleting a category leaves its items uncategorised (the foreign key sets them to null). */
export async function deleteCategory(tx: Tx, ctx: MemberContext, categoryId: string) {
  const before = await findCategory(tx, categoryId);
  await assertCanAuthor(tx, ctx, before.courseId);
  await tx.delete(schema.gradeCategories).where(eq(schema.gradeCategories.id, categoryId));
  await recordAudit(tx, ctx, {
    action: 'gradebook.category.deleted',
    targetType: 'grade_category',
    targetId: categoryId,
    targetLabel: before.name,
    before: { name: before.name, weight: before.weight, dropLowest: before.dropLowest },
  });
}

/** Put gradable items in categories (`null` = uncategorised); every item and category must be this course's. */
export async function assignCategories(tx: Tx, ctx: MemberContext, courseId: string, assignments: { itemId: string; categoryId: string | null }[]) {
  await assertCanAuthor(tx, ctx, courseId);
  const parsed = z.array(z.object({ itemId: z.uuid(), categoryId: z.uuid().nullable() })).max(1000).safeParse(assignments);
  if (!parsed.success) throw new NotFoundError('itemNotFound');
  const items = await loadGradebookItems(tx, courseId);
  const categories = new Set((await loadCategories(tx, courseId)).map((c) => c.id));
  const byId = new Map(items.map((i) => [i.id, i]));
  const changes: { itemId: string; title: string; from: string | null; to: string | null }[] = [];
  for (const a of parsed.data) {
    const item = byId.get(a.itemId);
    if (!item) throw new NotFoundError('itemNotFound');
    if (a.categoryId !== null && !categories.has(a.categoryId)) throw new NotFoundError('categoryNotFound');
    if (item.categoryId !== a.categoryId) changes.push({ itemId: a.itemId, title: item.title, from: item.categoryId, to: a.categoryId });
  }
  for (const c of changes) {
    await tx
      .update(schema.courseItems)
      .set({ gradeCategoryId: c.to })
      .where(and(eq(schema.courseItems.id, c.itemId), eq(schema.courseItems.courseId, courseId), inArray(schema.courseItems.kind, [...GRADABLE_KINDS])));
  }
  if (changes.length) {
    await recordAudit(tx, ctx, { action: 'gradebook.items.categorised', targetType: 'course', targetId: courseId, after: changes.map((c) => ({ item: c.title, from: c.from, to: c.to })) });
  }
  return changes.length;
}

/** Set the course's letter scheme (validated), or `null` to go back to the default. */
export async function setGradingScheme(tx: Tx, ctx: MemberContext, courseId: string, scheme: GradingScheme | null) {
  await assertCanAuthor(tx, ctx, courseId);
  const course = await findCourseById(tx, courseId);
  let rows: GradingScheme | null = null;
  if (scheme) {
    rows = scheme.map((r) => ({ letter: r.letter.trim(), min: Number(r.min) }));
    const problem = schemeProblem(rows);
    if (problem) throw new ValidationError(problem.code, { field: `scheme-${problem.row}`, params: { row: problem.row + 1 } });
  }
  await tx.update(schema.courses).set({ gradingScheme: rows, updatedAt: new Date() }).where(eq(schema.courses.id, courseId));
  await recordAudit(tx, ctx, { action: 'gradebook.scheme.updated', targetType: 'course', targetId: courseId, targetLabel: course.title, before: course.gradingScheme, after: rows });
  return rows;
}
