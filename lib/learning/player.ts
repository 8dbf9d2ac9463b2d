import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { itemKind } from '@/lib/courses/kinds';
import type { Completion } from '@/lib/courses/kinds/types';
import { courseAccess } from '@/lib/courses/permissions';
import { lockState, type LockState } from '@/lib/courses/release';
import { findCourseBySlug, type Course } from '@/lib/courses/service';
import { findItem, loadOutline, type CourseItem } from '@/lib/courses/structure';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import { courseProgress, itemHref, type CourseProgress } from './progress';
import { MAX_DURATION_SECONDS, MAX_PLAYBACK_RATE, mergeRanges, WATCH_SLACK_SECONDS, watchedFraction, watchedSeconds, WATCHED_THRESHOLD, type Range } from './video';

type Enrolment = typeof schema.enrolments.$inferSelect;

export type PlayerItem = Pick<CourseItem, 'id' | 'title' | 'kind' | 'required' | 'moduleId'> & { href: string; completed: boolean; lock: LockState };
export type PlayerView = {
  course: Course;
  enrolment: Enrolment | null;
  /** Staff looking at the course as learners see it: nothing is recorded, nothing is locked. */
  preview: boolean;
  modules: { id: string; title: string; items: PlayerItem[] }[];
  progress: CourseProgress;
  current: (PlayerItem & { content: Record<string, unknown> | null; completion: Completion; watched: number }) | null;
  previous: PlayerItem | null;
  next: PlayerItem | null;
  /** Where "continue" goes: the last item opened, else the next requirement, else the first item. */
  resumeHref: string | null;
};

/** The learner's progress rows for one enrolment: completed ids and per-item video state. */
async function progressRows(tx: Tx, enrolmentId: string) {
  return tx
    .select({ itemId: schema.itemProgress.itemId, completedAt: schema.itemProgress.completedAt, watched: schema.itemProgress.watched, duration: schema.itemProgress.durationSeconds })
    .from(schema.itemProgress)
    .where(eq(schema.itemProgress.enrolmentId, enrolmentId));
}

/**
 * Everything the course player shows, for an enrolled learner (or staff preview), with release rules
 * applied on the server: a locked item's content is never loaded. Opening an item records it for resume.
 * A constant number of queries whatever the size of the course or the organisation.
 */
export async function loadPlayer(tx: Tx, ctx: MemberContext, courseSlug: string, itemId: string | null, now = new Date()): Promise<PlayerView> {
  const course = await findCourseBySlug(tx, courseSlug);
  const access = await courseAccess(tx, ctx, course.id);
  const [enrolment] = await tx
    .select()
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.status, 'active')))
    .limit(1);
  const preview = access.canTeach && enrolment?.role !== 'learner';
  if (!enrolment && !preview) throw new ForbiddenError('notEnrolled');
  if (course.status !== 'published' && !preview) throw new NotFoundError('courseNotFound');

  const [outline, rows] = await Promise.all([loadOutline(tx, course.id), enrolment && !preview ? progressRows(tx, enrolment.id) : Promise.resolve([])]);
  const completed = new Set(rows.filter((r) => r.completedAt).map((r) => r.itemId));
  const learner = { completed, enrolledAt: enrolment?.enrolledAt ?? null, staff: preview };
  const toPlayerItem = (i: CourseItem): PlayerItem => ({
    id: i.id,
    title: i.title,
    kind: i.kind,
    required: i.required,
    moduleId: i.moduleId,
    href: itemHref(course.slug, i.id),
    completed: completed.has(i.id),
    lock: lockState(i, learner, now),
  });
  const items = outline.items.map(toPlayerItem);
  const modules = outline.modules.map((m) => ({ id: m.id, title: m.title, items: items.filter((i) => i.moduleId === m.id) }));
  const progress = courseProgress(course.slug, outline.items, completed, enrolment && !preview ? enrolment.completedAt : null);

  const lastOpened = enrolment?.lastItemId && items.find((i) => i.id === enrolment.lastItemId);
  const resumeHref = (lastOpened ? lastOpened.href : null) ?? progress.next_requirement_url ?? items[0]?.href ?? null;

  let current: PlayerView['current'] = null;
  let previous: PlayerItem | null = null;
  let next: PlayerItem | null = null;
  if (itemId) {
    const index = items.findIndex((i) => i.id === itemId);
    if (index < 0) throw new NotFoundError('itemNotFound');
    const item = items[index]!;
    const stored = outline.items[index]!;
    const definition = itemKind(stored.kind);
    const row = rows.find((r) => r.itemId === item.id);
    const content = item.lock.locked ? null : definition.forDisplay ? await definition.forDisplay(stored.content as never) : stored.content;
    current = {
      ...item,
      content,
      completion: definition.completion(stored.content as never),
      watched: row?.watched && row.duration ? watchedFraction(row.watched, row.duration) : 0,
    };
    previous = items[index - 1] ?? null;
    next = items[index + 1] ?? null;
    if (enrolment && !preview && !item.lock.locked) {
      await tx.update(schema.enrolments).set({ lastItemId: item.id, lastActivityAt: now }).where(eq(schema.enrolments.id, enrolment.id));
    }
  }
  return { course, enrolment: enrolment ?? null, preview, modules, progress, current, previous, next, resumeHref };
}

/** The active learner enrolment and the item, with the item's release rule checked on the server. */
/** For item kinds with their own flow (quizzes): the learner's active enrolment and the item, release rules checked. */
export async function openItemFor(tx: Tx, ctx: MemberContext, itemId: string, now: Date) {
  const item = await findItem(tx, itemId);
  // Progress is a learner's, in a published course: staff previews and drafts record nothing.
  const [row] = await tx
    .select({ enrolment: schema.enrolments })
    .from(schema.enrolments)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, schema.enrolments.tenantId), eq(schema.courses.id, schema.enrolments.courseId)))
    .where(
      and(
        eq(schema.enrolments.courseId, item.courseId),
        eq(schema.enrolments.userId, ctx.user.id),
        eq(schema.enrolments.status, 'active'),
        eq(schema.enrolments.role, 'learner'),
        eq(schema.courses.status, 'published'),
      ),
    )
    .limit(1);
  const enrolment = row?.enrolment;
  if (!enrolment) throw new ForbiddenError('notEnrolled');
  const completed = new Set<string>();
  if (item.prerequisiteItemId) {
    const [p] = await tx
      .select({ itemId: schema.itemProgress.itemId })
      .from(schema.itemProgress)
      .where(and(eq(schema.itemProgress.enrolmentId, enrolment.id), eq(schema.itemProgress.itemId, item.prerequisiteItemId), isNotNull(schema.itemProgress.completedAt)));
    if (p) completed.add(p.itemId);
  }
  if (lockState(item, { completed, enrolledAt: enrolment.enrolledAt }, now).locked) throw new ForbiddenError('itemLocked');
  return { item, enrolment };
}

/**
 * Record an item as complete (idempotent), emit `item.completed`, and when every required item is done
 * complete the course (once) and emit `course.completed`. Returns the new course progress.
 */
export async function completeItem(tx: Tx, ctx: { tenant: { id: string } }, enrolment: Pick<Enrolment, 'id' | 'userId'>, item: CourseItem, now: Date): Promise<void> {
  // Lock the enrolment: completing the last two items at once must still see each other and finish the course.
  await tx.select({ id: schema.enrolments.id }).from(schema.enrolments).where(eq(schema.enrolments.id, enrolment.id)).for('update');
  const [updated] = await tx
    .update(schema.itemProgress)
    .set({ completedAt: now, updatedAt: now })
    .where(and(eq(schema.itemProgress.enrolmentId, enrolment.id), eq(schema.itemProgress.itemId, item.id), sql`${schema.itemProgress.completedAt} is null`))
    .returning({ itemId: schema.itemProgress.itemId });
  const inserted = updated
    ? []
    : await tx
        .insert(schema.itemProgress)
        .values({ tenantId: ctx.tenant.id, enrolmentId: enrolment.id, itemId: item.id, completedAt: now })
        .onConflictDoNothing()
        .returning({ itemId: schema.itemProgress.itemId });
  if (!updated && !inserted.length) return; // already complete: a retry or a double click changes nothing
  await emit(tx, ctx.tenant.id, 'lectern/item.completed.v1', { enrolmentId: enrolment.id, courseId: item.courseId, itemId: item.id, userId: enrolment.userId, completedAt: now.toISOString() });

  const [counts] = await tx.execute<{ required: number; done: number }>(sql`
    select count(*)::int as required, count(p.completed_at)::int as done
    from course_items i
    left join item_progress p on p.tenant_id = i.tenant_id and p.item_id = i.id and p.enrolment_id = ${enrolment.id} and p.completed_at is not null
    where i.tenant_id = ${ctx.tenant.id} and i.course_id = ${item.courseId} and i.required`);
  if (!counts || counts.required === 0 || counts.done < counts.required) return;
  const [done] = await tx
    .update(schema.enrolments)
    .set({ completedAt: now })
    .where(and(eq(schema.enrolments.id, enrolment.id), sql`${schema.enrolments.completedAt} is null`))
    .returning({ id: schema.enrolments.id });
  if (done) await emit(tx, ctx.tenant.id, 'lectern/course.completed.v1', { enrolmentId: enrolment.id, courseId: item.courseId, userId: enrolment.userId, completedAt: now.toISOString() });
}

/** The learner's "Mark complete". An uploaded video completes by being watched, not by this button. */
export async function markItemComplete(tx: Tx, ctx: MemberContext, itemId: string, now = new Date()): Promise<void> {
  const { item, enrolment } = await openItemFor(tx, ctx, itemId, now);
  if (itemKind(item.kind).completion(item.content as never) !== 'manual') throw new ValidationError('watchToComplete');
  await completeItem(tx, ctx, enrolment, item, now);
}

export const VideoWatchInput = z.object({
  duration: z.number().positive().max(MAX_DURATION_SECONDS),
  ranges: z.array(z.tuple([z.number().min(0).max(MAX_DURATION_SECONDS), z.number().min(0).max(MAX_DURATION_SECONDS)])).max(500),
});

/**
 * The player reports which parts of an uploaded video were played; the union is kept, and once it covers
 * ≥ 90 % of the video the item completes.
 */
export async function recordVideoWatch(tx: Tx, ctx: MemberContext, itemId: string, raw: z.infer<typeof VideoWatchInput>, now = new Date()): Promise<{ watched: number; completed: boolean }> {
  const input = VideoWatchInput.parse(raw);
  const { item, enrolment } = await openItemFor(tx, ctx, itemId, now);
  if (itemKind(item.kind).completion(item.content as never) !== 'watch') throw new ConflictError('itemNotFound');
  // Make sure the row exists, then lock it: two reports arriving together merge instead of the last one winning.
  await tx.insert(schema.itemProgress).values({ tenantId: ctx.tenant.id, enrolmentId: enrolment.id, itemId: item.id }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(schema.itemProgress)
    .where(and(eq(schema.itemProgress.enrolmentId, enrolment.id), eq(schema.itemProgress.itemId, item.id)))
    .for('update');
  // The author's measured length wins over what the player reports; without it, the longest reported.
  const authored = (item.content as { durationSeconds?: number }).durationSeconds;
  const duration = authored ?? Math.max(input.duration, row?.durationSeconds ?? 0);
  const before = mergeRanges((row?.watched as Range[] | null) ?? [], duration);
  const merged = mergeRanges([...before, ...input.ranges], duration);
  const startedAt = row?.watchStartedAt ?? now;
  const budget = MAX_PLAYBACK_RATE * Math.max(0, (now.getTime() - startedAt.getTime()) / 1000) + WATCH_SLACK_SECONDS;
  // A report claiming more than the clock allows is ignored (kept ranges stand); a real player never hits this.
  const ranges = watchedSeconds(merged) <= budget ? merged : before;
  const watched = watchedFraction(ranges, duration);
  await tx
    .update(schema.itemProgress)
    .set({ watched: ranges, durationSeconds: duration, watchStartedAt: startedAt, updatedAt: now })
    .where(and(eq(schema.itemProgress.enrolmentId, enrolment.id), eq(schema.itemProgress.itemId, item.id)));
  await tx.update(schema.enrolments).set({ lastActivityAt: now }).where(eq(schema.enrolments.id, enrolment.id));
  if (watched >= WATCHED_THRESHOLD) await completeItem(tx, ctx, enrolment, item, now);
  return { watched, completed: watched >= WATCHED_THRESHOLD || Boolean(row?.completedAt) };
}

/** The learner's own progress in one course (the API and tests read the same object as the player). */
export async function myCourseProgress(tx: Tx, ctx: MemberContext, courseSlug: string): Promise<CourseProgress> {
  return (await loadPlayer(tx, ctx, courseSlug, null)).progress;
}

export type LearnerCourse = {
  enrolmentId: string;
  slug: string;
  title: string;
  summary: string;
  coverKey: string | null;
  completedAt: Date | null;
  lastActivityAt: Date | null;
  status: 'active' | 'pending' | 'declined';
  required: number;
  done: number;
  continueHref: string;
};

/** Learner home: my courses with progress (three queries, however many courses). */
export async function learnerHome(tx: Tx, ctx: MemberContext): Promise<{ inProgress: LearnerCourse[]; completed: LearnerCourse[]; pending: LearnerCourse[] }> {
  const rows = await tx
    .select({
      enrolmentId: schema.enrolments.id,
      courseId: schema.courses.id,
      slug: schema.courses.slug,
      title: schema.courses.title,
      summary: schema.courses.summary,
      coverKey: schema.courses.coverKey,
      completedAt: schema.enrolments.completedAt,
      lastActivityAt: schema.enrolments.lastActivityAt,
      lastItemId: schema.enrolments.lastItemId,
      status: schema.enrolments.status,
    })
    .from(schema.enrolments)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, schema.enrolments.tenantId), eq(schema.courses.id, schema.enrolments.courseId)))
    .where(and(eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.role, 'learner'), inArray(schema.enrolments.status, ['active', 'pending']), eq(schema.courses.status, 'published')))
    .orderBy(sql`coalesce(${schema.enrolments.lastActivityAt}, ${schema.enrolments.enrolledAt}, ${schema.enrolments.createdAt}) desc`);
  const courseIds = rows.map((r) => r.courseId);
  const enrolmentIds = rows.map((r) => r.enrolmentId);
  const [required, done] = courseIds.length
    ? await Promise.all([
        tx
          .select({ courseId: schema.courseItems.courseId, n: sql<number>`count(*)::int` })
          .from(schema.courseItems)
          .where(and(inArray(schema.courseItems.courseId, courseIds), eq(schema.courseItems.required, true)))
          .groupBy(schema.courseItems.courseId),
        tx
          .select({ enrolmentId: schema.itemProgress.enrolmentId, n: sql<number>`count(*)::int` })
          .from(schema.itemProgress)
          .innerJoin(schema.courseItems, and(eq(schema.courseItems.tenantId, schema.itemProgress.tenantId), eq(schema.courseItems.id, schema.itemProgress.itemId)))
          .where(and(inArray(schema.itemProgress.enrolmentId, enrolmentIds), isNotNull(schema.itemProgress.completedAt), eq(schema.courseItems.required, true)))
          .groupBy(schema.itemProgress.enrolmentId),
      ])
    : [[], []];
  const requiredBy = new Map(required.map((r) => [r.courseId, r.n]));
  const doneBy = new Map(done.map((r) => [r.enrolmentId, r.n]));
  const courses = rows.map(
    (r): LearnerCourse => ({
      enrolmentId: r.enrolmentId,
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      coverKey: r.coverKey,
      completedAt: r.completedAt,
      lastActivityAt: r.lastActivityAt,
      status: r.status,
      required: requiredBy.get(r.courseId) ?? 0,
      done: doneBy.get(r.enrolmentId) ?? 0,
      continueHref: r.lastItemId ? itemHref(r.slug, r.lastItemId) : `/learn/${r.slug}`,
    }),
  );
  return {
    inProgress: courses.filter((c) => c.status === 'active' && !c.completedAt),
    completed: courses.filter((c) => c.status === 'active' && c.completedAt),
    pending: courses.filter((c) => c.status === 'pending'),
  };
}
