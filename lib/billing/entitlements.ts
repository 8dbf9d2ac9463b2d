import { and, count, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import { DomainError, type ErrorCode, type ErrorParams } from '@/lib/errors';
import { isPlanId, PLANS, type PlanId } from './plans';
import { billingConfigured } from './stripe';

/** Days an organisation keeps adding learners after a payment fails, with a banner, before seats freeze. */
export const PAST_DUE_GRACE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Stripe statuses under which the paid plan applies (past_due only within the grace period for new seats). */
const LIVE_STATUSES = new Set(['active', 'trialing', 'past_due']);

export type Entitlements = {
  plan: PlanId;
  source: 'free' | 'stripe' | 'grant';
  seatLimit: number;
  publishedCourseLimit: number | null;
  sellsCourses: boolean;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  stripeSubscriptionId: string | null;
  /** Set while a payment is overdue: when it started, when the grace ends, and whether it has ended. */
  pastDue: { since: Date; graceEndsAt: Date; locked: boolean } | null;
};

/** A limit of the organisation's plan stopped the action; the message says so and links to the Billing page. */
export class BillingLimitError extends DomainError {
  readonly link = '/admin/billing';
  constructor(code: ErrorCode, params: ErrorParams) {
    super(code, params, 402);
  }
}

type SubscriptionRow = typeof schema.billingSubscriptions.$inferSelect;

/** What the organisation may do now, from its subscription row (Free when there is none or it has lapsed). */
export function entitlementsFrom(row: SubscriptionRow | undefined, now = new Date(), configured = billingConfigured()): Entitlements {
  const free: Entitlements = {
    plan: 'free',
    source: 'free',
    seatLimit: seatLimitOf('free', null),
    publishedCourseLimit: PLANS.free.publishedCourses,
    sellsCourses: PLANS.free.sellsCourses,
    status: row?.status ?? 'none',
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    stripeSubscriptionId: row?.stripeSubscriptionId ?? null,
    pastDue: null,
  };
  if (!row || !isPlanId(row.plan)) return free;
  // A Stripe subscription is only believed while Stripe is configured to confirm it; a grant always applies.
  if (row.source === 'stripe' && (!configured || !LIVE_STATUSES.has(row.status))) return free;
  const plan = PLANS[row.plan];
  const since = row.status === 'past_due' ? (row.pastDueSince ?? now) : null;
  const graceEndsAt = since ? new Date(since.getTime() + PAST_DUE_GRACE_DAYS * DAY_MS) : null;
  return {
    plan: plan.id,
    source: row.source === 'grant' ? 'grant' : 'stripe',
    seatLimit: seatLimitOf(plan.id, row.seatLimit),
    publishedCourseLimit: plan.publishedCourses,
    sellsCourses: plan.sellsCourses,
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    stripeSubscriptionId: row.stripeSubscriptionId,
    pastDue: since && graceEndsAt ? { since, graceEndsAt, locked: now >= graceEndsAt } : null,
  };
}

function seatLimitOf(plan: PlanId, seatLimit: number | null): number {
  if (seatLimit !== null) return seatLimit;
  const seats = PLANS[plan].seats;
  return 'included' in seats ? seats.included : seats.min;
}

export async function loadEntitlements(tx: Tx, tenantId: string): Promise<Entitlements> {
  const [row] = await tx.select().from(schema.billingSubscriptions).where(eq(schema.billingSubscriptions.tenantId, tenantId));
  return entitlementsFrom(row);
}

export type SeatUsage = { learners: number; pendingInvitations: number };

/**
 * Seats in use: active learner memberships (a deactivated one holds no seat), plus learner invitations still open (a seat is held for each,
 * so invitations cannot promise more seats than the plan has).
 */
export async function seatUsage(tx: Tx, tenantId: string, opts: { exceptInvitationId?: string } = {}): Promise<SeatUsage> {
  const [[learners], [pending]] = await Promise.all([
    tx
      .select({ n: count() })
      .from(schema.memberships)
      .where(and(eq(schema.memberships.tenantId, tenantId), eq(schema.memberships.role, 'learner'), isNull(schema.memberships.deactivatedAt))),
    tx
      .select({ n: count() })
      .from(schema.invitations)
      .where(
        and(
          eq(schema.invitations.tenantId, tenantId),
          eq(schema.invitations.role, 'learner'),
          isNull(schema.invitations.acceptedAt),
          isNull(schema.invitations.revokedAt),
          gt(schema.invitations.expiresAt, sql`now()`),
          opts.exceptInvitationId ? ne(schema.invitations.id, opts.exceptInvitationId) : undefined,
        ),
      ),
  ]);
  return { learners: learners!.n, pendingInvitations: pending!.n };
}

/**
 * The one seat check. Invitations, sign-ups, role changes, enrolment, imports, the API and provisioning
 * call it before they add or enrol a learner.
 * - `add > 0`: that many new seats are about to be taken; refused beyond the limit, and while an overdue
 *   payment's grace has ended. Serialised per organisation so two requests cannot both take the last seat.
 * - `add = 0` (enrolling people who already hold seats): refused only when the organisation is over its limit.
 * `exceptInvitationId` is the invitation being accepted: its held seat becomes the member's.
 */
export async function assertSeats(tx: Tx, tenantId: string, opts: { add: number; exceptInvitationId?: string }): Promise<void> {
  if (opts.add > 0) await lockSeats(tx, tenantId);
  const [entitlements, usage] = await Promise.all([loadEntitlements(tx, tenantId), seatUsage(tx, tenantId, { exceptInvitationId: opts.exceptInvitationId })]);
  const used = usage.learners + usage.pendingInvitations;
  const params = { limit: entitlements.seatLimit, plan: planName(entitlements.plan), used: usage.learners, pending: usage.pendingInvitations };
  if (opts.add > 0) {
    if (entitlements.pastDue?.locked) throw new BillingLimitError('billingPastDueLocked', {});
    if (used + opts.add > entitlements.seatLimit) throw new BillingLimitError(opts.add === 1 ? 'seatLimitReached' : 'seatLimitReachedMany', { ...params, add: opts.add });
  } else if (usage.learners > entitlements.seatLimit) {
    throw new BillingLimitError('seatLimitExceeded', params);
  }
}

/** Actions that take seats or change the seat count take turns per organisation (until the transaction ends). */
export async function lockSeats(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lectern:seats:${tenantId}`}, 0))`);
}

/** Publishing one more course must fit the plan's published-course limit. */
export async function assertCanPublishCourse(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lectern:publish:${tenantId}`}, 0))`);
  const entitlements = await loadEntitlements(tx, tenantId);
  const limit = entitlements.publishedCourseLimit;
  if (limit === null) return;
  const [row] = await tx
    .select({ n: count() })
    .from(schema.courses)
    .where(and(eq(schema.courses.tenantId, tenantId), eq(schema.courses.status, 'published')));
  if (row!.n >= limit) throw new BillingLimitError('publishedCourseLimit', { limit, plan: planName(entitlements.plan) });
}

export function planName(plan: PlanId): string {
  return { free: 'Free', team: 'Team', business: 'Business' }[plan];
}
