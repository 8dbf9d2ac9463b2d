import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { NotificationError } from './errors';
import { safeNoticePath } from './links';

/**
 * A member's own notices (the bell and the notifications page). Every query names the member's user id,
 * so nobody reads or marks another's notices; RLS keeps each organisation's rows to itself.
 */

/** The badge counts at most this many (it shows "99+" beyond), so the count stays a short index scan. */
export const UNREAD_COUNT_CAP = 100;

export type NoticeView = { id: string; type: string; title: string; body: string; link: string | null; createdAt: string; read: boolean };

const n = schema.notifications;

function own(ctx: MemberContext) {
  return and(eq(n.tenantId, ctx.tenant.id), eq(n.userId, ctx.user.id));
}

/** Unread notices, counted up to UNREAD_COUNT_CAP through the partial index notifications_unread_idx. */
export async function unreadCount(tx: Tx, ctx: MemberContext): Promise<number> {
  assertRole(ctx, 'learner');
  const [row] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1 from notifications
      where tenant_id = ${ctx.tenant.id} and user_id = ${ctx.user.id} and read_at is null
      limit ${UNREAD_COUNT_CAP}
    ) unread`);
  return row?.n ?? 0;
}

export const NoticeCursor = z.uuid();

export const NOTICE_PAGE_SIZE = 20;

/**
 * The member's notices, newest first, `limit` at a time: keyset pagination on (created_at, id) along
 * notifications_user_recent_idx. `before` is the id of the last notice shown (the cursor); a cursor that is
 * not one of the member's own notices gives an empty page (the page links back to the newest).
 */
export async function listNotices(tx: Tx, ctx: MemberContext, input: { before?: string | null; limit?: number } = {}): Promise<{ items: NoticeView[]; nextCursor: string | null }> {
  assertRole(ctx, 'learner');
  const limit = Math.min(Math.max(1, input.limit ?? NOTICE_PAGE_SIZE), 100);
  const cursor = input.before && NoticeCursor.safeParse(input.before).success ? input.before : null;
  const after = cursor
    ? sql`(${n.createdAt}, ${n.id}) < (select c.created_at, c.id from notifications c where c.tenant_id = ${ctx.tenant.id} and c.user_id = ${ctx.user.id} and c.id = ${cursor})`
    : undefined;
  const rows = await tx
    .select({ id: n.id, type: n.type, title: n.title, body: n.body, link: n.link, createdAt: n.createdAt, readAt: n.readAt })
    .from(n)
    .where(and(own(ctx), after))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({ id: r.id, type: r.type, title: r.title, body: r.body, link: safeNoticePath(r.link), createdAt: r.createdAt.toISOString(), read: r.readAt !== null }));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Mark one of the member's notices read (again is harmless); another's, or an unknown id, is "not found". */
export async function markNoticeRead(tx: Tx, ctx: MemberContext, id: string): Promise<void> {
  assertRole(ctx, 'learner');
  if (!NoticeCursor.safeParse(id).success) throw new NotificationError('notFound', {}, 404);
  const [row] = await tx
    .update(n)
    .set({ readAt: sql`coalesce(${n.readAt}, now())` })
    .where(and(own(ctx), eq(n.id, id)))
    .returning({ id: n.id });
  if (!row) throw new NotificationError('notFound', {}, 404);
}

/** Mark every unread notice of the member read; returns how many were unread. */
export async function markAllNoticesRead(tx: Tx, ctx: MemberContext): Promise<number> {
  assertRole(ctx, 'learner');
  const result = await tx.execute(sql`
    update notifications set read_at = now()
    where tenant_id = ${ctx.tenant.id} and user_id = ${ctx.user.id} and read_at is null`);
  return result.count ?? 0;
}
