import { and, asc, count, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { ProgramError } from '@/lib/certificates/errors';
import { CourseSlug, slugify } from '@/lib/courses/schemas';
import { v } from '@/lib/i18n/validation';
import { hasRole } from '@/lib/members/roles';
import { PageParam } from '@/lib/schemas';
import { isUniqueViolation } from '@/lib/tenancy/tenants';

/**
 * Programs are the organisation's curricula: an ordered set of courses, whoever teaches them, whose
 * certificate is issued in the organisation's name. So, unlike a course (which any org instructor may
 * create and then authors alone), a program is managed by org admins and owners only.
 */

export type Program = typeof schema.programs.$inferSelect;
export type ProgramStatus = Program['status'];

export const PROGRAMS_PAGE_SIZE = 20;
export const MAX_PROGRAM_COURSES = 50;

const p = schema.programs;
const pc = schema.programCourses;

export const NewProgramInput = z.object({ title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')) });
export const ProgramInput = z.object({
  title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')),
  slug: CourseSlug,
  summary: z.string().trim().max(1000, v('tooLong')).default(''),
});
export type ProgramInput = z.input<typeof ProgramInput>;

async function freeSlug(tx: Tx, base: string): Promise<string> {
  const taken = await tx.select({ slug: p.slug }).from(p).where(sql`${p.slug} = ${base} or ${p.slug} ~ ${`^${base}-[0-9]+$`}`);
  const used = new Set(taken.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The program, locked for the change (changes to one program take turns). */
async function lockProgram(tx: Tx, ctx: MemberContext, programId: string): Promise<Program> {
  if (!z.uuid().safeParse(programId).success) throw new ProgramError('notFound', { status: 404 });
  const [row] = await tx.select().from(p).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.id, programId))).for('update');
  if (!row) throw new ProgramError('notFound', { status: 404 });
  return row;
}

/** A new draft program with just a title; its address comes from the title and can be changed. */
export async function createProgram(tx: Tx, ctx: MemberContext, raw: z.input<typeof NewProgramInput>): Promise<Program> {
  assertRole(ctx, 'admin');
  const input = NewProgramInput.parse(raw);
  const slug = await freeSlug(tx, slugify(input.title).replace(/^course-/, 'program-'));
  const [row] = await tx.insert(p).values({ tenantId: ctx.tenant.id, title: input.title, slug }).returning();
  await recordAudit(tx, ctx, { action: 'program.created', targetType: 'program', targetId: row!.id, targetLabel: input.title });
  return row!;
}

export async function updateProgram(tx: Tx, ctx: MemberContext, programId: string, raw: ProgramInput): Promise<Program> {
  assertRole(ctx, 'admin');
  const input = ProgramInput.parse(raw);
  const before = await lockProgram(tx, ctx, programId);
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const key of ['title', 'slug', 'summary'] as const) {
    if (before[key] !== input[key]) {
      changedBefore[key] = before[key];
      changedAfter[key] = input[key];
    }
  }
  if (!Object.keys(changedAfter).length) return before;
  try {
    const [row] = await tx.transaction((sp) => sp.update(p).set({ ...input, updatedAt: new Date() }).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.id, programId))).returning());
    await recordAudit(tx, ctx, { action: 'program.updated', targetType: 'program', targetId: programId, targetLabel: row!.title, before: changedBefore, after: changedAfter });
    return row!;
  } catch (e) {
    if (isUniqueViolation(e, 'programs_slug_key')) throw new ProgramError('slugTaken', { status: 409, field: 'slug', params: { slug: input.slug } });
    throw e;
  }
}

/** Publish (needs at least one course), archive, or take back to draft. */
export async function setProgramStatus(tx: Tx, ctx: MemberContext, programId: string, status: ProgramStatus): Promise<Program> {
  assertRole(ctx, 'admin');
  const before = await lockProgram(tx, ctx, programId);
  if (before.status === status) return before;
  if (status === 'published') {
    const [n] = await tx.select({ n: count() }).from(pc).where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, programId)));
    if (!n?.n) throw new ProgramError('publishEmpty');
  }
  const [row] = await tx.update(p).set({ status, updatedAt: new Date() }).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.id, programId))).returning();
  await recordAudit(tx, ctx, { action: `program.${status}`, targetType: 'program', targetId: programId, targetLabel: before.title, before: { status: before.status }, after: { status } });
  return row!;
}

/** The program's course ids in order. */
async function courseOrder(tx: Tx, ctx: MemberContext, programId: string): Promise<string[]> {
  const rows = await tx.select({ courseId: pc.courseId }).from(pc).where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, programId))).orderBy(asc(pc.position), asc(pc.courseId));
  return rows.map((r) => r.courseId);
}

/** Write a new order (positions 0…n-1) and audit it with course titles before → after. */
async function saveOrder(tx: Tx, ctx: MemberContext, program: Program, before: string[], after: string[], action: string): Promise<void> {
  for (const [i, courseId] of after.entries()) {
    await tx.update(pc).set({ position: i }).where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, program.id), eq(pc.courseId, courseId)));
  }
  const ids = [...new Set([...before, ...after])];
  const titles = new Map(ids.length ? (await tx.select({ id: schema.courses.id, title: schema.courses.title }).from(schema.courses).where(inArray(schema.courses.id, ids))).map((r) => [r.id, r.title]) : []);
  const names = (list: string[]) => list.map((id) => titles.get(id) ?? id);
  await tx.update(p).set({ updatedAt: new Date() }).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.id, program.id)));
  await recordAudit(tx, ctx, { action, targetType: 'program', targetId: program.id, targetLabel: program.title, before: { courses: names(before) }, after: { courses: names(after) } });
}

export const ProgramCourseInput = z.object({ programId: z.string(), courseId: z.string() });
export const MoveCourseInput = ProgramCourseInput.extend({ direction: z.enum(['up', 'down']) });

/** Add a course of this organisation at the end of the program. */
export async function addProgramCourse(tx: Tx, ctx: MemberContext, raw: z.input<typeof ProgramCourseInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = ProgramCourseInput.parse(raw);
  const program = await lockProgram(tx, ctx, input.programId);
  if (!z.uuid().safeParse(input.courseId).success) throw new ProgramError('courseMissing', { field: 'courseId' });
  const [course] = await tx.select({ id: schema.courses.id }).from(schema.courses).where(and(eq(schema.courses.tenantId, ctx.tenant.id), eq(schema.courses.id, input.courseId))).limit(1);
  if (!course) throw new ProgramError('courseMissing', { field: 'courseId' });
  const before = await courseOrder(tx, ctx, program.id);
  if (before.includes(course.id)) throw new ProgramError('courseAlreadyIn', { status: 409, field: 'courseId' });
  if (before.length >= MAX_PROGRAM_COURSES) throw new ProgramError('tooManyCourses', { field: 'courseId', params: { max: MAX_PROGRAM_COURSES } });
  await tx.insert(pc).values({ tenantId: ctx.tenant.id, programId: program.id, courseId: course.id, position: before.length });
  await saveOrder(tx, ctx, program, before, [...before, course.id], 'program.course_added');
}

/** Take a course out of the program (a published program keeps at least one). Certificates already issued stay. */
export async function removeProgramCourse(tx: Tx, ctx: MemberContext, raw: z.input<typeof ProgramCourseInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = ProgramCourseInput.parse(raw);
  const program = await lockProgram(tx, ctx, input.programId);
  const before = await courseOrder(tx, ctx, program.id);
  if (!before.includes(input.courseId)) throw new ProgramError('courseNotIn', { status: 404 });
  if (program.status === 'published' && before.length === 1) throw new ProgramError('removeLast');
  await tx.delete(pc).where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, program.id), eq(pc.courseId, input.courseId)));
  await saveOrder(tx, ctx, program, before, before.filter((id) => id !== input.courseId), 'program.course_removed');
}

/** Move a course one place up or down (the buttons beside each course; at either end it stays put). */
export async function moveProgramCourse(tx: Tx, ctx: MemberContext, raw: z.input<typeof MoveCourseInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = MoveCourseInput.parse(raw);
  const program = await lockProgram(tx, ctx, input.programId);
  const before = await courseOrder(tx, ctx, program.id);
  const i = before.indexOf(input.courseId);
  if (i < 0) throw new ProgramError('courseNotIn', { status: 404 });
  const j = input.direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= before.length) return;
  const after = [...before];
  [after[i], after[j]] = [after[j]!, after[i]!];
  await saveOrder(tx, ctx, program, before, after, 'program.courses_reordered');
}

export const ListProgramsInput = z.object({ page: PageParam.default(1) });

/** Org admins: every program with its number of courses, by title. */
export async function listPrograms(tx: Tx, ctx: MemberContext, raw: z.input<typeof ListProgramsInput> = {}) {
  assertRole(ctx, 'admin');
  const { page } = ListProgramsInput.parse(raw);
  const [rows, [total]] = await Promise.all([
    tx
      .select({ id: p.id, title: p.title, slug: p.slug, status: p.status, updatedAt: p.updatedAt, courses: sql<number>`(select count(*)::int from program_courses x where x.tenant_id = ${p.tenantId} and x.program_id = ${p.id})` })
      .from(p)
      .where(eq(p.tenantId, ctx.tenant.id))
      .orderBy(asc(p.title), asc(p.id))
      .limit(PROGRAMS_PAGE_SIZE)
      .offset((page - 1) * PROGRAMS_PAGE_SIZE),
    tx.select({ n: count() }).from(p).where(eq(p.tenantId, ctx.tenant.id)),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: PROGRAMS_PAGE_SIZE };
}

export type ProgramCourse = { id: string; title: string; slug: string; status: 'draft' | 'published' | 'archived' };

/** Org admins: one program with its courses in order and the organisation's other courses (to add). */
export async function programForAdmin(tx: Tx, ctx: MemberContext, programId: string) {
  assertRole(ctx, 'admin');
  if (!z.uuid().safeParse(programId).success) throw new ProgramError('notFound', { status: 404 });
  const [program] = await tx.select().from(p).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.id, programId))).limit(1);
  if (!program) throw new ProgramError('notFound', { status: 404 });
  const courseCols = { id: schema.courses.id, title: schema.courses.title, slug: schema.courses.slug, status: schema.courses.status };
  const courses: ProgramCourse[] = await tx
    .select(courseCols)
    .from(pc)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, pc.tenantId), eq(schema.courses.id, pc.courseId)))
    .where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, programId)))
    .orderBy(asc(pc.position), asc(pc.courseId));
  const ids = courses.map((x) => x.id);
  const available: ProgramCourse[] = await tx
    .select(courseCols)
    .from(schema.courses)
    .where(and(eq(schema.courses.tenantId, ctx.tenant.id), ids.length ? notInArray(schema.courses.id, ids) : undefined, sql`${schema.courses.status} <> 'archived'`))
    .orderBy(asc(schema.courses.title))
    .limit(1000);
  const [issued] = await tx.select({ n: count() }).from(schema.certificates).where(and(eq(schema.certificates.tenantId, ctx.tenant.id), eq(schema.certificates.programId, programId)));
  return { program, courses, available, certificates: issued?.n ?? 0 };
}

export type LearnerProgram = { id: string; slug: string; title: string; summary: string; total: number; completed: number };

/**
 * The published programs the member is part of — enrolled as a learner in at least one of their courses —
 * with how many of their courses they have completed. One query, however many programs.
 */
export async function myPrograms(tx: Tx, ctx: MemberContext): Promise<LearnerProgram[]> {
  const rows = await tx.execute<{ id: string; slug: string; title: string; summary: string; total: number; completed: number }>(sql`
    select p.id, p.slug, p.title, p.summary, count(*)::int as total, count(e.completed_at)::int as completed
    from programs p
    join program_courses pc on pc.tenant_id = p.tenant_id and pc.program_id = p.id
    left join enrolments e on e.tenant_id = pc.tenant_id and e.course_id = pc.course_id and e.user_id = ${ctx.user.id}
      and e.role = 'learner' and e.status = 'active'
    where p.tenant_id = ${ctx.tenant.id} and p.status = 'published'
    group by p.tenant_id, p.id
    having count(e.id) > 0
    order by p.title, p.id`);
  return [...rows];
}

export type LearnerProgramCourse = ProgramCourse & { enrolment: 'completed' | 'active' | 'pending' | 'none' };

/**
 * One program as a learner sees it: its courses in order with where they stand in each, and their program
 * certificate if issued. Only a published program they are part of (admins may look at any program).
 */
export async function programForLearner(tx: Tx, ctx: MemberContext, slug: string) {
  const [program] = await tx.select().from(p).where(and(eq(p.tenantId, ctx.tenant.id), eq(p.slug, slug))).limit(1);
  const admin = hasRole(ctx.role, 'admin');
  if (!program || (!admin && program.status !== 'published')) throw new ProgramError('notFound', { status: 404 });
  const rows = await tx
    .select({
      id: schema.courses.id,
      title: schema.courses.title,
      slug: schema.courses.slug,
      status: schema.courses.status,
      enrolmentStatus: schema.enrolments.status,
      completedAt: schema.enrolments.completedAt,
    })
    .from(pc)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, pc.tenantId), eq(schema.courses.id, pc.courseId)))
    .leftJoin(
      schema.enrolments,
      and(eq(schema.enrolments.tenantId, pc.tenantId), eq(schema.enrolments.courseId, pc.courseId), eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.role, 'learner')),
    )
    .where(and(eq(pc.tenantId, ctx.tenant.id), eq(pc.programId, program.id)))
    .orderBy(asc(pc.position), asc(pc.courseId));
  const courses: LearnerProgramCourse[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    slug: r.slug,
    status: r.status,
    enrolment: r.completedAt ? 'completed' : r.enrolmentStatus === 'active' ? 'active' : r.enrolmentStatus === 'pending' ? 'pending' : 'none',
  }));
  if (!admin && !courses.some((x) => x.enrolment === 'active' || x.enrolment === 'completed')) throw new ProgramError('notFound', { status: 404 });
  const [certificate] = await tx
    .select({ id: schema.certificates.id, code: schema.certificates.code, issuedAt: schema.certificates.issuedAt, revokedAt: schema.certificates.revokedAt })
    .from(schema.certificates)
    .where(and(eq(schema.certificates.tenantId, ctx.tenant.id), eq(schema.certificates.userId, ctx.user.id), eq(schema.certificates.programId, program.id)))
    .orderBy(desc(schema.certificates.issuedAt))
    .limit(1);
  return { program, courses, completed: courses.filter((x) => x.enrolment === 'completed').length, certificate: certificate ?? null };
}
