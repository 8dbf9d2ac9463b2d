import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { itemHref } from '@/lib/learning/progress';

/** Kinds whose content carries a due date (`content.dueAt`, an ISO string: lib/courses/kinds/quiz.ts, lib/assignments/rules.ts). */
export const DUE_KINDS = ['quiz', 'assignment'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export type DueItem = {
  itemId: string;
  kind: DueKind;
  title: string;
  dueAt: Date;
  courseId: string;
  courseSlug: string;
  courseTitle: string;
  /** Completed, or handed in (a submitted quiz attempt, an assignment submission). */
  done: boolean;
  /** The item in the course player. */
  href: string;
  updatedAt: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An item's due date as timestamptz, or null. Guarded by a shape check so a malformed value (content is
 * validated on write, but it is jsonb) reads as "no due date" instead of failing the whole query.
 */
export function dueAtOf(item: SQL): SQL {
  return sql`(case when ${item}.content->>'dueAt' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' then (${item}.content->>'dueAt')::timestamptz end)`;
}

/** Whether the learner of enrolment `e` has finished item `ci` (aliases with `id` and `kind`): completed, or submitted (quiz attempt, assignment). */
export function doneSql(e: SQL, ci: SQL): SQL {
  return sql`(
    exists (select 1 from item_progress done_p where done_p.tenant_id = ${e}.tenant_id and done_p.enrolment_id = ${e}.id and done_p.item_id = ${ci}.id and done_p.completed_at is not null)
    or (${ci}.kind = 'assignment' and exists (select 1 from assignment_submissions done_s where done_s.tenant_id = ${e}.tenant_id and done_s.item_id = ${ci}.id and done_s.enrolment_id = ${e}.id))
    or (${ci}.kind = 'quiz' and exists (select 1 from quiz_attempts done_q where done_q.tenant_id = ${e}.tenant_id and done_q.item_id = ${ci}.id and done_q.enrolment_id = ${e}.id and done_q.status in ('submitted', 'graded')))
  )`;
}

type Row = { item_id: string; kind: DueKind; title: string; due_at: string | Date; updated_at: string | Date; course_id: string; course_slug: string; course_title: string; done: boolean };

type Window = {
  /** Due strictly after this… */
  from: Date;
  /** …and at or before this (null: no end). */
  to: Date | null;
  /** Keyset: only items after (dueAt, itemId) in the order of the list. */
  after?: { dueAt: Date; itemId: string } | null;
  openOnly?: boolean;
  limit: number;
  order?: 'asc' | 'desc';
};

/**
 * The due quizzes and assignments of one person's active learner enrolments in published courses, in a
 * window, soonest first (or latest first). Always for `userId` only: every caller passes the member's own
 * id (the page's session, or the feed's token), never one from input.
 */
export async function dueItemsForUser(tx: Tx, userId: string, w: Window): Promise<DueItem[]> {
  const due = dueAtOf(sql`ci`);
  const dir = w.order === 'desc' ? sql`desc` : sql`asc`;
  const cmp = w.order === 'desc' ? sql`<` : sql`>`;
  const rows = await tx.execute<Row>(sql`
    select * from (
      select ci.id as item_id, ci.kind, ci.title, ${due} as due_at, ci.updated_at, c.id as course_id, c.slug as course_slug, c.title as course_title,
             ${doneSql(sql`e`, sql`ci`)} as done
      from enrolments e
      join courses c on c.tenant_id = e.tenant_id and c.id = e.course_id and c.status = 'published'
      join course_items ci on ci.tenant_id = e.tenant_id and ci.course_id = e.course_id and ci.kind in ('quiz', 'assignment')
      where e.user_id = ${userId} and e.status = 'active' and e.role = 'learner'
    ) d
    where d.due_at > ${w.from.toISOString()}::timestamptz
      ${w.to ? sql`and d.due_at <= ${w.to.toISOString()}::timestamptz` : sql``}
      ${w.after ? sql`and (d.due_at, d.item_id) ${cmp} (${w.after.dueAt.toISOString()}::timestamptz, ${w.after.itemId}::uuid)` : sql``}
      ${w.openOnly ? sql`and not d.done` : sql``}
    order by d.due_at ${dir}, d.item_id ${dir}
    limit ${w.limit}`);
  return rows.map((r) => ({
    itemId: r.item_id,
    kind: r.kind,
    title: r.title,
    dueAt: new Date(r.due_at),
    courseId: r.course_id,
    courseSlug: r.course_slug,
    courseTitle: r.course_title,
    done: r.done,
    href: itemHref(r.course_slug, r.item_id),
    updatedAt: new Date(r.updated_at),
  }));
}

export const DUE_SOON_DAYS = 7;
export const DUE_SOON_LIMIT = 10;

/** The learner home's "Due soon": due within the next 7 days and not yet completed or submitted, soonest first. */
export async function dueSoon(tx: Tx, ctx: MemberContext, now = new Date()): Promise<DueItem[]> {
  return dueItemsForUser(tx, ctx.user.id, { from: now, to: new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS), openOnly: true, limit: DUE_SOON_LIMIT });
}

export const RECENT_DAYS = 14;
export const UPCOMING_PAGE_SIZE = 50;
const RECENT_LIMIT = 100;

export type CalendarView = {
  /** Due in the last 14 days, oldest first (shown only on the first page). */
  recent: DueItem[];
  /** Due from now on, soonest first, a page at a time. */
  upcoming: DueItem[];
  /** Cursor for the next page of upcoming items, or null at the end. */
  nextCursor: string | null;
  firstPage: boolean;
};

/** A cursor is `<due ISO>_<item id>`: opaque to the reader, checked here (anything odd reads as the first page). */
export function parseCursor(raw: string | undefined | null): { dueAt: Date; itemId: string } | null {
  const m = raw ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(raw) : null;
  if (!m) return null;
  const dueAt = new Date(m[1]!);
  return Number.isNaN(dueAt.getTime()) ? null : { dueAt, itemId: m[2]!.toLowerCase() };
}

export function cursorOf(item: Pick<DueItem, 'dueAt' | 'itemId'>): string {
  return `${item.dueAt.toISOString()}_${item.itemId}`;
}

/** The calendar page: recently past due dates, then upcoming ones a page at a time (keyset on due date, item). */
export async function calendarView(tx: Tx, ctx: MemberContext, opts: { cursor?: string | null; now?: Date } = {}): Promise<CalendarView> {
  const now = opts.now ?? new Date();
  const after = parseCursor(opts.cursor);
  const [recent, upcoming] = await Promise.all([
    after ? Promise.resolve([]) : dueItemsForUser(tx, ctx.user.id, { from: new Date(now.getTime() - RECENT_DAYS * DAY_MS), to: now, limit: RECENT_LIMIT, order: 'desc' }),
    dueItemsForUser(tx, ctx.user.id, { from: now, to: null, after, limit: UPCOMING_PAGE_SIZE + 1 }),
  ]);
  const more = upcoming.length > UPCOMING_PAGE_SIZE;
  const page = more ? upcoming.slice(0, UPCOMING_PAGE_SIZE) : upcoming;
  return { recent: recent.reverse(), upcoming: page, nextCursor: more ? cursorOf(page[page.length - 1]!) : null, firstPage: !after };
}

/** "2026-12-07": the UTC day an item is due on (organisations have no time zone setting yet). */
export function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Items grouped by UTC day, in the order given. */
export function groupByDay(items: DueItem[]): { day: string; items: DueItem[] }[] {
  const groups: { day: string; items: DueItem[] }[] = [];
  for (const item of items) {
    const day = dayKey(item.dueAt);
    const last = groups[groups.length - 1];
    if (last?.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}
