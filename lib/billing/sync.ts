import type Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { enterTenant, schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { planForPrice } from './plans';
import { idOf, stripe } from './stripe';

/** A webhook Lectern will not act on (unknown customer or price, tampered ids or amounts): logged, nothing changed. */
export class WebhookRefused extends Error {
  constructor(readonly reason: string) {
    super(`Stripe webhook refused: ${reason}`);
    this.name = 'WebhookRefused';
  }
}

const LIVE = ['active', 'trialing', 'past_due'];

/** The organisation a Stripe customer pays for, or null. */
export async function tenantForCustomer(tx: Tx, customerId: string): Promise<{ id: string; slug: string; name: string } | null> {
  const [tenant] = await tx
    .select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name })
    .from(schema.tenants)
    .where(eq(schema.tenants.stripeCustomerId, customerId));
  return tenant ?? null;
}

/** Of a customer's subscriptions, the one that decides the plan: a live one first, then the newest. */
export function decidingSubscription(subscriptions: readonly Stripe.Subscription[]): Stripe.Subscription | null {
  const byNewest = [...subscriptions].sort((a, b) => b.created - a.created);
  return byNewest.find((s) => LIVE.includes(s.status)) ?? byNewest[0] ?? null;
}

export type SyncResult = { tenantId: string; plan: string; status: string; seatLimit: number | null; changed: boolean };

/**
 * Converge an organisation's plan to what Stripe says now. Whatever event arrived (and in whatever
 * order), the subscriptions are re-read from Stripe, so a late "created" after an "updated" cannot roll
 * the plan back. Runs in the caller's transaction; enters the organisation's tenant.
 */
export async function syncStripeCustomer(tx: Tx, customerId: string, opts: { expectTenantId?: string } = {}): Promise<SyncResult> {
  const tenant = await tenantForCustomer(tx, customerId);
  if (!tenant) throw new WebhookRefused(`no organisation for customer ${customerId}`);
  if (opts.expectTenantId && opts.expectTenantId !== tenant.id) throw new WebhookRefused(`customer ${customerId} does not belong to the organisation named in the event`);

  const list = await stripe().subscriptions.list({ customer: customerId, status: 'all', limit: 20 });
  const sub = decidingSubscription(list.data);
  await enterTenant(tx, tenant.id);
  const [before] = await tx.select().from(schema.billingSubscriptions).where(eq(schema.billingSubscriptions.tenantId, tenant.id)).for('update');

  // A plan granted by Lectern stays until a live Stripe subscription replaces it.
  if (before?.source === 'grant' && (!sub || !LIVE.includes(sub.status))) {
    return { tenantId: tenant.id, plan: before.plan, status: before.status, seatLimit: before.seatLimit, changed: false };
  }
  if (!sub) {
    if (!before) return { tenantId: tenant.id, plan: 'free', status: 'none', seatLimit: null, changed: false };
    await tx.update(schema.billingSubscriptions).set({ status: 'canceled', pastDueSince: null, syncedAt: new Date() }).where(eq(schema.billingSubscriptions.tenantId, tenant.id));
    return { tenantId: tenant.id, plan: before.plan, status: 'canceled', seatLimit: before.seatLimit, changed: before.status !== 'canceled' };
  }

  const next = subscriptionState(sub, before);
  await tx
    .insert(schema.billingSubscriptions)
    .values({ tenantId: tenant.id, ...next })
    .onConflictDoUpdate({ target: schema.billingSubscriptions.tenantId, set: next });

  const changed =
    !before ||
    before.plan !== next.plan ||
    before.seatLimit !== next.seatLimit ||
    before.status !== next.status ||
    before.cancelAtPeriodEnd !== next.cancelAtPeriodEnd ||
    before.stripeSubscriptionId !== next.stripeSubscriptionId;
  if (changed) {
    await recordAudit(tx, { tenant: { id: tenant.id }, user: null }, {
      action: 'billing.subscription_changed',
      targetType: 'subscription',
      targetId: null,
      targetLabel: sub.id,
      before: before ? { plan: before.plan, seats: before.seatLimit, status: before.status } : { plan: 'free' },
      after: { plan: next.plan, seats: next.seatLimit, status: next.status, cancelAtPeriodEnd: next.cancelAtPeriodEnd },
    });
  }
  return { tenantId: tenant.id, plan: next.plan, status: next.status, seatLimit: next.seatLimit, changed };
}

type SubscriptionRow = typeof schema.billingSubscriptions.$inferSelect;

/**
 * The row a Stripe subscription makes: plan from its price (refused when the price is not a Lectern plan),
 * seats from its quantity, period end from its item; the grace period keeps running from when it began.
 */
export function subscriptionState(sub: Stripe.Subscription, before: SubscriptionRow | undefined) {
  const item = sub.items.data[0];
  const priceId = item?.price.id ?? null;
  const plan = priceId ? planForPrice(priceId) : null;
  if (!item || !plan) throw new WebhookRefused(`subscription ${sub.id} has price ${priceId ?? '(none)'}, which is not a Lectern plan`);
  return {
    source: 'stripe' as const,
    plan,
    seatLimit: item.quantity ?? 1,
    status: sub.status,
    stripeSubscriptionId: sub.id,
    stripePriceId: priceId,
    currentPeriodEnd: new Date(item.current_period_end * 1000),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    pastDueSince: sub.status === 'past_due' ? (before?.status === 'past_due' && before.pastDueSince ? before.pastDueSince : new Date()) : null,
    syncedAt: new Date(),
  };
}

/** The customer id of a Stripe object that carries one (subscription, invoice, checkout session). */
export function customerOf(object: { customer?: string | { id: string } | null }): string {
  const id = idOf(object.customer ?? null);
  if (!id) throw new WebhookRefused('event object has no customer');
  return id;
}

/** For events whose snapshot may be stale or out of order: only the customer is taken from it; Stripe is re-read. */
export async function convergeCustomerOf(tx: Tx, object: { customer?: string | { id: string } | null }): Promise<string> {
  const result = await syncStripeCustomer(tx, customerOf(object));
  return `synced: ${result.plan} ${result.status}`;
}
