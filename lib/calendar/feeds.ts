import { and, eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext, TenantRef } from '@/lib/auth/context';
import { hashToken, newToken } from '@/lib/auth/tokens';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { dueItemsForUser } from './due-items';
import { buildIcs } from './ics';

/** A feed token: 32 random bytes, base64url (43 characters). Anything else is not looked up at all. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per feed: calendar apps poll, and a read should not always write. */
export const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** What the feed carries: due dates from 30 days ago to a year ahead. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 366;
const FEED_MAX_EVENTS = 1000;

export type FeedStatus = { createdAt: Date; lastUsedAt: Date | null } | null;

/** The member's own feed, if they made one (only its hash is kept, so the URL itself cannot be shown again). */
export async function feedStatus(tx: Tx, ctx: MemberContext): Promise<FeedStatus> {
  const [row] = await tx
    .select({ createdAt: schema.calendarFeeds.createdAt, lastUsedAt: schema.calendarFeeds.lastUsedAt })
    .from(schema.calendarFeeds)
    .where(eq(schema.calendarFeeds.userId, ctx.user.id))
    .limit(1);
  return row ?? null;
}

/** The address of a feed on the organisation's own subdomain. */
export function feedUrl(tenant: Pick<TenantRef, 'slug'>, token: string): string {
  return `${tenantOrigin(tenant.slug)}/calendar/${token}.ics`;
}

/**
 * Create the member's private feed, or replace it (regenerate): a new random token whose SHA-256 replaces
 * the old one, so the old URL stops working at once. The URL is returned once, to be shown to its owner.
 */
export async function createFeed(tx: Tx, ctx: MemberContext): Promise<{ url: string; replaced: boolean }> {
  const { token, hash } = newToken();
  const t = schema.calendarFeeds;
  const [row] = await tx
    .insert(t)
    .values({ tenantId: ctx.tenant.id, userId: ctx.user.id, tokenHash: hash })
    .onConflictDoUpdate({ target: [t.tenantId, t.userId], set: { tokenHash: hash, createdAt: sql`now()`, lastUsedAt: null } })
    // xmax <> 0 on a row that an upsert updated: tells "regenerated" from "created".
    .returning({ replaced: sql<boolean>`(xmax <> 0)` });
  return { url: feedUrl(ctx.tenant, token), replaced: Boolean(row?.replaced) };
}

/** Revoke the member's feed: its URL answers 404 from now on. */
export async function revokeFeed(tx: Tx, ctx: MemberContext): Promise<{ revoked: boolean }> {
  const gone = await tx.delete(schema.calendarFeeds).where(eq(schema.calendarFeeds.userId, ctx.user.id)).returning({ userId: schema.calendarFeeds.userId });
  return { revoked: gone.length > 0 };
}

/**
 * The calendar behind a feed token, in the organisation whose transaction `tx` is (the Host's): null for a
 * malformed, unknown or revoked token — including one of another organisation, which RLS never shows here.
 * The events are the token owner's own due dates, and nobody else's.
 */
export async function calendarFeedIcs(tx: Tx, tenant: TenantRef, rawToken: string, now = new Date()): Promise<string | null> {
  if (!TOKEN.test(rawToken)) return null;
  const t = schema.calendarFeeds;
  const [feed] = await tx
    .select({ userId: t.userId, lastUsedAt: t.lastUsedAt })
    .from(t)
    .where(and(eq(t.tenantId, tenant.id), eq(t.tokenHash, hashToken(rawToken))))
    .limit(1);
  if (!feed) return null;
  if (!feed.lastUsedAt || now.getTime() - feed.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await tx.update(t).set({ lastUsedAt: now }).where(and(eq(t.tenantId, tenant.id), eq(t.userId, feed.userId)));
  }
  const items = await dueItemsForUser(tx, feed.userId, {
    from: new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS),
    to: new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS),
    limit: FEED_MAX_EVENTS,
  });
  return buildIcs(items, { origin: tenantOrigin(tenant.slug), calendarName: tenant.name });
}
