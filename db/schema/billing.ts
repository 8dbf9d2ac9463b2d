import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courses } from './courses';
import { memberships } from './members';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/**
 * One row per organisation that has ever had a plan other than Free: the state last read from Stripe
 * (source 'stripe') or a plan granted by Lectern itself (source 'grant', e.g. the demo organisations).
 * No row means Free.
 */
export const billingSubscriptions = pgTable(
  'billing_subscriptions',
  {
    tenantId: tenantId()
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    plan: text('plan').notNull(),
    /** Seats paid for (the subscription's quantity); null for a grant means the plan's own limit. */
    seatLimit: integer('seat_limit'),
    /** Stripe's subscription status, or 'active' for a grant. */
    status: text('status').notNull(),
    stripeSubscriptionId: text('stripe_subscription_id'),
    stripePriceId: text('stripe_price_id'),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** When Lectern first saw the subscription past due; the grace period runs from here. */
    pastDueSince: timestamp('past_due_since', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('billing_subscriptions_source_check', sql`${t.source} in ('stripe', 'grant')`),
    check('billing_subscriptions_plan_check', sql`${t.plan} in ('free', 'team', 'business')`),
    tenantIsolation('billing_subscriptions'),
  ],
);

/**
 * Global: every Stripe event id Lectern has applied, so a replayed or re-delivered event changes nothing.
 * Written in the same transaction as the change the event caused.
 */
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  stripeCreatedAt: timestamp('stripe_created_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  outcome: text('outcome').notNull(),
});

/** A learner buying a priced course: pending until Stripe's signed webhook says the Checkout session was paid. */
export const courseOrders = pgTable(
  'course_orders',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    courseId: uuid('course_id').notNull(),
    membershipId: uuid('membership_id'),
    buyerEmail: text('buyer_email').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull().default('pending'),
    checkoutSessionId: text('checkout_session_id'),
    paymentIntentId: text('payment_intent_id'),
    createdAt: createdAt(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('course_orders_session_key').on(t.tenantId, t.checkoutSessionId),
    index('course_orders_course_idx').on(t.tenantId, t.courseId, t.createdAt),
    index('course_orders_member_idx').on(t.tenantId, t.membershipId),
    check('course_orders_status_check', sql`${t.status} in ('pending', 'paid')`),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('set null'),
    tenantIsolation('course_orders'),
  ],
);
