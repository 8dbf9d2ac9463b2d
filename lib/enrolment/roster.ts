import { and, asc, count, desc, eq, ilike, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanTeach } from '@/lib/courses/permissions';
import { findCourseBySlug } from '@/lib/courses/service';
import { loadOutline } from '@/lib/courses/structure';
import { NotFoundError } from '@/lib/errors';
import { lockState } from '@/lib/courses/release';
import { watchedFraction, type Range } from '@/lib/learning/video';
import { PageParam } from '@/lib/schemas';

export const ROSTER_PAGE_SIZE = 50;

export const RosterQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(['active', 'pending', 'declined']).optional().catch(undefined),
  role: z.enum(['learner', 'ta', 'instructor']).optional().catch(undefined),
  /** Newest first reads an index (fast at any size); by name sorts the whole course (fine up to a few thousand). */
  sort: z.enum(['recent', 'name']).catch('recent'),
  page: PageParam,
});

/**
 * The course roster for its staff: people, role, status, progress and last activity, a page at a time.
 * Progress is counted for the page's enrolments only, so the page costs the same at 20 or 20,000 learners.
 */
export async function listRoster(tx: Tx, ctx: MemberContext, courseSlug: string, raw: Record<string, unknown>) {
  const course = await findCourseBySlug(tx, courseSlug);
  const access = await assertCanTeach(tx, ctx, course.id);
  const input = RosterQuery.parse(raw);
  const filters: SQL[] = [eq(schema.enrolments.courseId, course.id)];
  if (input.status) filters.push(eq(schema.enrolments.status, input.status));
  if (input.role) filters.push(eq(schema.enrolments.role, input.role));
  if (input.q) {
    const pattern = `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(schema.users.name, pattern), ilike(schema.users.email, pattern))!);
  }
  const where = and(...filters);
  const order = input.sort === 'name' ? [asc(schema.users.name), asc(schema.enrolments.id)] : [desc(schema.enrolments.createdAt), desc(schema.enrolments.id)];
  // Without a name search the count needs no join with users: an index-only count of the course's enrolments.
  const totalQuery = input.q
    ? tx.select({ n: count() }).from(schema.enrolments).innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId)).where(where)
    : tx.select({ n: count() }).from(schema.enrolments).where(where);
  const [rows, [total], [required], [pending]] = await Promise.all([
    tx
      .select({
        enrolmentId: schema.enrolments.id,
        userId: schema.users.id,
        name: schema.users.name,
        email: schema.users.email,
        role: schema.enrolments.role,
        status: schema.enrolments.status,
        enrolledAt: schema.enrolments.enrolledAt,
        requestedAt: schema.enrolments.createdAt,
        completedAt: schema.enrolments.completedAt,
        lastActivityAt: schema.enrolments.lastActivityAt,
      })
      .from(schema.enrolments)
      .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
      .where(where)
      .orderBy(...order)
      .limit(ROSTER_PAGE_SIZE)
      .offset((input.page - 1) * ROSTER_PAGE_SIZE),
    totalQuery,
    tx.select({ n: count() }).from(schema.courseItems).where(and(eq(schema.courseItems.courseId, course.id), eq(schema.courseItems.required, true))),
    tx.select({ n: count() }).from(schema.enrolments).where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.status, 'pending'))),
  ]);
  const ids = rows.map((r) => r.enrolmentId);
  const done = ids.length
    ? await tx
        .select({ enrolmentId: schema.itemProgress.enrolmentId, n: sql<number>`count(*)::int` })
        .from(schema.itemProgress)
        .innerJoin(schema.courseItems, and(eq(schema.courseItems.tenantId, schema.itemProgress.tenantId), eq(schema.courseItems.id, schema.itemProgress.itemId)))
        .where(and(inArray(schema.itemProgress.enrolmentId, ids), isNotNull(schema.itemProgress.completedAt), eq(schema.courseItems.required, true)))
        .groupBy(schema.itemProgress.enrolmentId)
    : [];
  const doneBy = new Map(done.map((d) => [d.enrolmentId, d.n]));
  return {
    course,
    access,
    rows: rows.map((r) => ({ ...r, done: doneBy.get(r.enrolmentId) ?? 0 })),
    required: required?.n ?? 0,
    pendingCount: pending?.n ?? 0,
    total: total?.n ?? 0,
    page: input.page,
    pageSize: ROSTER_PAGE_SIZE,
    query: input,
  };
}

/** One learner in one course, item by item: completed when, video watched how much, locked until when. */
export async function learnerDetail(tx: Tx, ctx: MemberContext, courseSlug: string, userId: string) {
  const course = await findCourseBySlug(tx, courseSlug);
  await assertCanTeach(tx, ctx, course.id);
  const [row] = await tx
    .select({ enrolment: schema.enrolments, name: schema.users.name, email: schema.users.email })
    .from(schema.enrolments)
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, userId)))
    .limit(1);
  if (!row) throw new NotFoundError('enrolmentNotFound');
  const [outline, progress] = await Promise.all([
    loadOutline(tx, course.id),
    tx.select().from(schema.itemProgress).where(eq(schema.itemProgress.enrolmentId, row.enrolment.id)),
  ]);
  const byItem = new Map(progress.map((p) => [p.itemId, p]));
  const completed = new Set(progress.filter((p) => p.completedAt).map((p) => p.itemId));
  return {
    course,
    learner: { userId, name: row.name, email: row.email },
    enrolment: row.enrolment,
    modules: outline.modules.map((m) => ({
      id: m.id,
      title: m.title,
      items: m.items.map((i) => {
        const p = byItem.get(i.id);
        return {
          id: i.id,
          title: i.title,
          kind: i.kind,
          required: i.required,
          completedAt: p?.completedAt ?? null,
          watched: p?.watched && p.durationSeconds ? watchedFraction(p.watched as Range[], p.durationSeconds) : null,
          lock: lockState(i, { completed, enrolledAt: row.enrolment.enrolledAt }),
        };
      }),
    })),
    required: outline.items.filter((i) => i.required).length,
    done: outline.items.filter((i) => i.required && completed.has(i.id)).length,
  };
}
