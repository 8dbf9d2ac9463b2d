import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertCanPublishCourse } from '@/lib/billing/entitlements';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { hasRole } from '@/lib/members/roles';
import { isUniqueViolation } from '@/lib/tenancy/tenants';
import { assertCanAuthor, assertCanCreateCourse, findCourseById } from './permissions';
import { sanitizeRichText } from './sanitize';
import { CourseInput, NewCourseInput, slugify } from './schemas';

export type Course = typeof schema.courses.$inferSelect;
export const TEACHING_PAGE_SIZE = 20;

/** A free course address: `base`, else `base-2`, `base-3`, … (one query). */
async function freeSlug(tx: Tx, base: string): Promise<string> {
  const taken = await tx
    .select({ slug: schema.courses.slug })
    .from(schema.courses)
    .where(sql`${schema.courses.slug} = ${base} or ${schema.courses.slug} ~ ${`^${base}-[0-9]+$`}`);
  const used = new Set(taken.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A new draft course; its creator becomes its first instructor. */
export async function createCourse(tx: Tx, ctx: MemberContext, raw: { title: string }): Promise<Course> {
  assertCanCreateCourse(ctx);
  const input = NewCourseInput.parse(raw);
  const slug = await freeSlug(tx, slugify(input.title));
  const [course] = await tx.insert(schema.courses).values({ tenantId: ctx.tenant.id, title: input.title, slug }).returning();
  await tx.insert(schema.enrolments).values({ tenantId: ctx.tenant.id, courseId: course!.id, userId: ctx.user.id, role: 'instructor', status: 'active', enrolledAt: new Date() });
  await recordAudit(tx, ctx, { action: 'course.created', targetType: 'course', targetId: course!.id, targetLabel: input.title });
  return course!;
}

/** Save the settings form. The slug is the course's address: changing it is allowed but must stay unique. */
export async function updateCourse(tx: Tx, ctx: MemberContext, courseId: string, raw: z.input<typeof CourseInput>): Promise<Course> {
  await assertCanAuthor(tx, ctx, courseId);
  const input = CourseInput.parse(raw);
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) throw new ValidationError('courseDatesOrder', { field: 'endsAt' });
  const values = { ...input, descriptionHtml: await sanitizeRichText(input.descriptionHtml), updatedAt: new Date() };
  try {
    const [course] = await tx.update(schema.courses).set(values).where(eq(schema.courses.id, courseId)).returning();
    if (!course) throw new NotFoundError('courseNotFound');
    return course;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError('courseSlugTaken', { field: 'slug', params: { slug: input.slug } });
    throw e;
  }
}

export async function setCourseStatus(tx: Tx, ctx: MemberContext, courseId: string, status: Course['status']): Promise<Course> {
  await assertCanAuthor(tx, ctx, courseId);
  if (status === 'published' && (await findCourseById(tx, courseId)).status !== 'published') await assertCanPublishCourse(tx, ctx.tenant.id);
  const [course] = await tx
    .update(schema.courses)
    .set({ status, updatedAt: new Date(), publishedAt: status === 'published' ? sql`coalesce(${schema.courses.publishedAt}, now())` : undefined })
    .where(eq(schema.courses.id, courseId))
    .returning();
  if (!course) throw new NotFoundError('courseNotFound');
  await recordAudit(tx, ctx, { action: `course.${status}`, targetType: 'course', targetId: courseId, targetLabel: course.title });
  return course;
}

/** Set or clear the cover image (an uploaded image this organisation owns). */
export async function setCourseCover(tx: Tx, ctx: MemberContext, courseId: string, fileKey: string | null): Promise<void> {
  await assertCanAuthor(tx, ctx, courseId);
  if (fileKey) {
    const [file] = await tx.select({ contentType: schema.files.contentType }).from(schema.files).where(eq(schema.files.key, fileKey)).limit(1);
    if (!file?.contentType.startsWith('image/')) throw new ValidationError('coverNotImage', { field: 'cover' });
  }
  await tx.update(schema.courses).set({ coverKey: fileKey, updatedAt: new Date() }).where(eq(schema.courses.id, courseId));
}

/**
 * Copy a course's settings and structure (modules, items, release rules; prerequisites re-pointed at the
 * copies) into a new draft. Enrolments and progress stay with the original; the copier instructs the copy.
 */
export async function duplicateCourse(tx: Tx, ctx: MemberContext, courseId: string): Promise<Course> {
  await assertCanAuthor(tx, ctx, courseId);
  assertCanCreateCourse(ctx);
  const source = await findCourseById(tx, courseId);
  const slug = await freeSlug(tx, `${source.slug.slice(0, 70)}-copy`);
  const { id: _id, createdAt: _c, updatedAt: _u, publishedAt: _p, seatsTaken: _s, structureVersion: _v, ...settings } = source;
  const [copy] = await tx.insert(schema.courses).values({ ...settings, slug, title: `${source.title} (copy)`, status: 'draft' }).returning();
  const modules = await tx.select().from(schema.courseModules).where(eq(schema.courseModules.courseId, courseId));
  const items = await tx.select().from(schema.courseItems).where(eq(schema.courseItems.courseId, courseId));
  const moduleIds = new Map(modules.map((m) => [m.id, crypto.randomUUID()]));
  const itemIds = new Map(items.map((i) => [i.id, crypto.randomUUID()]));
  if (modules.length) {
    await tx.insert(schema.courseModules).values(modules.map((m) => ({ tenantId: ctx.tenant.id, id: moduleIds.get(m.id)!, courseId: copy!.id, title: m.title, position: m.position })));
  }
  if (items.length) {
    await tx.insert(schema.courseItems).values(
      items.map(({ id, moduleId, prerequisiteItemId, createdAt: _ic, updatedAt: _iu, ...item }) => ({
        ...item,
        id: itemIds.get(id)!,
        courseId: copy!.id,
        moduleId: moduleIds.get(moduleId)!,
        prerequisiteItemId: prerequisiteItemId ? (itemIds.get(prerequisiteItemId) ?? null) : null,
      })),
    );
  }
  await tx.insert(schema.enrolments).values({ tenantId: ctx.tenant.id, courseId: copy!.id, userId: ctx.user.id, role: 'instructor', status: 'active', enrolledAt: new Date() });
  await recordAudit(tx, ctx, { action: 'course.duplicated', targetType: 'course', targetId: copy!.id, targetLabel: copy!.title, before: { from: source.slug } });
  return copy!;
}

/** The course with this address, if this organisation has one (RLS: another organisation's slug finds nothing). */
export async function findCourseBySlug(tx: Tx, slug: string): Promise<Course> {
  const [course] = await tx.select().from(schema.courses).where(eq(schema.courses.slug, slug)).limit(1);
  if (!course) throw new NotFoundError('courseNotFound');
  return course;
}

/** Courses this member teaches (admins: every course), newest first, with learner counts. */
export async function listTeachingCourses(tx: Tx, ctx: MemberContext, opts: { page: number }) {
  const admin = hasRole(ctx.role, 'admin');
  const mine = tx
    .select({ courseId: schema.enrolments.courseId })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.userId, ctx.user.id), inArray(schema.enrolments.role, ['instructor', 'ta']), eq(schema.enrolments.status, 'active')));
  const where = admin ? undefined : inArray(schema.courses.id, mine);
  const [rows, [total]] = await Promise.all([
    tx
      .select({
        id: schema.courses.id,
        slug: schema.courses.slug,
        title: schema.courses.title,
        status: schema.courses.status,
        seatsTaken: schema.courses.seatsTaken,
        capacity: schema.courses.capacity,
        updatedAt: schema.courses.updatedAt,
      })
      .from(schema.courses)
      .where(where)
      .orderBy(desc(schema.courses.updatedAt), asc(schema.courses.id))
      .limit(TEACHING_PAGE_SIZE)
      .offset((opts.page - 1) * TEACHING_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.courses).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: opts.page, pageSize: TEACHING_PAGE_SIZE };
}
