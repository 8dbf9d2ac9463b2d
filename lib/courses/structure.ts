import { asc, eq, max, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { itemKind } from './kinds';
import { assertCanAuthor } from './permissions';
import { wouldCycle } from './release';
import { ItemInput, ModuleInput, ReorderInput } from './schemas';

export type CourseItem = typeof schema.courseItems.$inferSelect;
export type CourseModule = typeof schema.courseModules.$inferSelect;
export type Outline = { modules: (CourseModule & { items: CourseItem[] })[]; items: CourseItem[] };

/** Modules in order, each with its items in order; `items` is the whole course in reading order. Two queries. */
export async function loadOutline(tx: Tx, courseId: string): Promise<Outline> {
  const [modules, items] = await Promise.all([
    tx.select().from(schema.courseModules).where(eq(schema.courseModules.courseId, courseId)).orderBy(asc(schema.courseModules.position), asc(schema.courseModules.createdAt)),
    tx.select().from(schema.courseItems).where(eq(schema.courseItems.courseId, courseId)).orderBy(asc(schema.courseItems.position), asc(schema.courseItems.createdAt)),
  ]);
  const byModule = new Map(modules.map((m) => [m.id, { ...m, items: [] as CourseItem[] }]));
  for (const item of items) byModule.get(item.moduleId)?.items.push(item);
  const ordered = [...byModule.values()];
  return { modules: ordered, items: ordered.flatMap((m) => m.items) };
}

/** Every structural change bumps the version, so reorders computed on an older outline are refused. */
async function bumpVersion(tx: Tx, courseId: string): Promise<void> {
  await tx
    .update(schema.courses)
    .set({ structureVersion: sql`${schema.courses.structureVersion} + 1`, updatedAt: new Date() })
    .where(eq(schema.courses.id, courseId));
}

async function findModule(tx: Tx, moduleId: string): Promise<CourseModule> {
  const [m] = await tx.select().from(schema.courseModules).where(eq(schema.courseModules.id, moduleId)).limit(1);
  if (!m) throw new NotFoundError('moduleNotFound');
  return m;
}

export async function findItem(tx: Tx, itemId: string): Promise<CourseItem> {
  const [item] = await tx.select().from(schema.courseItems).where(eq(schema.courseItems.id, itemId)).limit(1);
  if (!item) throw new NotFoundError('itemNotFound');
  return item;
}

export async function addModule(tx: Tx, ctx: MemberContext, courseId: string, raw: { title: string }): Promise<CourseModule> {
  await assertCanAuthor(tx, ctx, courseId);
  const input = ModuleInput.parse(raw);
  const [last] = await tx.select({ p: max(schema.courseModules.position) }).from(schema.courseModules).where(eq(schema.courseModules.courseId, courseId));
  const [m] = await tx
    .insert(schema.courseModules)
    .values({ tenantId: ctx.tenant.id, courseId, title: input.title, position: (last?.p ?? -1) + 1 })
    .returning();
  await bumpVersion(tx, courseId);
  return m!;
}

export async function renameModule(tx: Tx, ctx: MemberContext, moduleId: string, raw: { title: string }): Promise<void> {
  const m = await findModule(tx, moduleId);
  await assertCanAuthor(tx, ctx, m.courseId);
  const input = ModuleInput.parse(raw);
  await tx.update(schema.courseModules).set({ title: input.title }).where(eq(schema.courseModules.id, moduleId));
}

/** Deleting a module deletes its items and their progress (the page asks first). */
export async function deleteModule(tx: Tx, ctx: MemberContext, moduleId: string): Promise<void> {
  const m = await findModule(tx, moduleId);
  await assertCanAuthor(tx, ctx, m.courseId);
  await tx.delete(schema.courseModules).where(eq(schema.courseModules.id, moduleId));
  await bumpVersion(tx, m.courseId);
}

/** Validate the common fields, the prerequisite (same course, no loop) and the kind's own content. */
async function itemValues(tx: Tx, ctx: MemberContext, courseId: string, itemId: string | null, kind: string, raw: Record<string, unknown>, previous?: Record<string, unknown>) {
  const definition = itemKind(kind);
  const common = ItemInput.parse(raw);
  if (common.prerequisiteItemId) {
    if (common.prerequisiteItemId === itemId) throw new ValidationError('prerequisiteSelf', { field: 'prerequisiteItemId' });
    const rules = await tx
      .select({ id: schema.courseItems.id, prerequisiteItemId: schema.courseItems.prerequisiteItemId })
      .from(schema.courseItems)
      .where(eq(schema.courseItems.courseId, courseId));
    const prerequisiteOf = new Map(rules.map((r) => [r.id, r.prerequisiteItemId]));
    if (!prerequisiteOf.has(common.prerequisiteItemId)) throw new ValidationError('itemNotFound', { field: 'prerequisiteItemId' });
    if (itemId && wouldCycle(itemId, common.prerequisiteItemId, prerequisiteOf)) throw new ValidationError('prerequisiteCycle', { field: 'prerequisiteItemId' });
  }
  const content = await definition.parseContent(raw, { tx, tenantId: ctx.tenant.id, courseId, previous });
  return { ...common, content };
}

/** Add an item of any registered kind at the end of a module. */
export async function addItem(tx: Tx, ctx: MemberContext, moduleId: string, kind: string, raw: Record<string, unknown>): Promise<CourseItem> {
  const m = await findModule(tx, moduleId);
  await assertCanAuthor(tx, ctx, m.courseId);
  const values = await itemValues(tx, ctx, m.courseId, null, kind, raw);
  const [last] = await tx.select({ p: max(schema.courseItems.position) }).from(schema.courseItems).where(eq(schema.courseItems.moduleId, moduleId));
  const [item] = await tx
    .insert(schema.courseItems)
    .values({ tenantId: ctx.tenant.id, courseId: m.courseId, moduleId, kind, position: (last?.p ?? -1) + 1, ...values })
    .returning();
  await bumpVersion(tx, m.courseId);
  return item!;
}

export async function updateItem(tx: Tx, ctx: MemberContext, itemId: string, raw: Record<string, unknown>): Promise<CourseItem> {
  const item = await findItem(tx, itemId);
  await assertCanAuthor(tx, ctx, item.courseId);
  const values = await itemValues(tx, ctx, item.courseId, itemId, item.kind, raw, item.content);
  const [updated] = await tx.update(schema.courseItems).set({ ...values, updatedAt: new Date() }).where(eq(schema.courseItems.id, itemId)).returning();
  return updated!;
}

/** Deleting an item deletes learners' progress on it; items that waited on it lose that prerequisite. */
export async function deleteItem(tx: Tx, ctx: MemberContext, itemId: string): Promise<void> {
  const item = await findItem(tx, itemId);
  await assertCanAuthor(tx, ctx, item.courseId);
  await tx.delete(schema.courseItems).where(eq(schema.courseItems.id, itemId));
  await bumpVersion(tx, item.courseId);
}

/**
 * Apply a new order to the whole outline (modules, and items across modules) in one statement per table.
 * The request names the version it was computed from and must list exactly the course's modules and
 * items; anything else (a concurrent edit, a stale tab) is refused and nothing changes.
 */
export async function reorderOutline(tx: Tx, ctx: MemberContext, courseId: string, raw: ReorderInput): Promise<{ version: number }> {
  await assertCanAuthor(tx, ctx, courseId);
  const input = ReorderInput.parse(raw);
  const [course] = await tx
    .select({ version: schema.courses.structureVersion })
    .from(schema.courses)
    .where(eq(schema.courses.id, courseId))
    .for('update');
  if (!course) throw new NotFoundError('courseNotFound');
  if (course.version !== input.version) throw new ConflictError('staleOutline');
  const outline = await loadOutline(tx, courseId);
  const moduleIds = input.modules.map((m) => m.id);
  const itemIds = input.modules.flatMap((m) => m.itemIds);
  const sameSet = (a: string[], b: string[]) => a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));
  if (!sameSet(moduleIds, outline.modules.map((m) => m.id)) || !sameSet(itemIds, outline.items.map((i) => i.id))) throw new ConflictError('outlineMismatch');

  if (moduleIds.length) {
    const rows = sql.join(moduleIds.map((id, position) => sql`(${id}::uuid, ${position}::int)`), sql`, `);
    await tx.execute(sql`update course_modules m set position = v.position from (values ${rows}) as v(id, position)
      where m.tenant_id = ${ctx.tenant.id} and m.id = v.id`);
  }
  const placements = input.modules.flatMap((m) => m.itemIds.map((id, position) => sql`(${id}::uuid, ${m.id}::uuid, ${position}::int)`));
  if (placements.length) {
    await tx.execute(sql`update course_items i set module_id = v.module_id, position = v.position
      from (values ${sql.join(placements, sql`, `)}) as v(id, module_id, position)
      where i.tenant_id = ${ctx.tenant.id} and i.id = v.id`);
  }
  await bumpVersion(tx, courseId);
  return { version: course.version + 1 };
}

/** Only for services that already checked access: the course id an item belongs to. */
export async function courseIdOfItem(tx: Tx, itemId: string): Promise<string> {
  return (await findItem(tx, itemId)).courseId;
}

