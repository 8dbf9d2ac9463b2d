import type Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { ForbiddenError, ValidationError, ConflictError, DomainError } from '@/lib/errors';
import { logger } from '@/lib/log';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { loadEntitlements, lockSeats, planName, seatUsage, type Entitlements, type SeatUsage } from './entitlements';
import { PAID_PLAN_IDS, priceIdFor, seatRange, type PaidPlanId } from './plans';
import { billingConfigured, stripe } from './stripe';
import { subscriptionState } from './sync';

export type BillingOverview = {
  configured: boolean;
  entitlements: Entitlements;
  usage: SeatUsage;
  publishedCourses: number;
  sellsCourses: boolean;
  hasCustomer: boolean;
};

/** Everything the Billing page shows that lives in Lectern's database (invoices come from Stripe separately). */
export async function billingOverview(tx: Tx, ctx: MemberContext): Promise<BillingOverview> {
  assertRole(ctx, 'admin');
  const [entitlements, usage, [published], [settings], [tenant]] = await Promise.all([
    loadEntitlements(tx, ctx.tenant.id),
    seatUsage(tx, ctx.tenant.id),
    tx.$count(schema.courses, eq(schema.courses.status, 'published')).then((n) => [n]),
    tx.select({ sells: schema.tenantSettings.sellsCourses }).from(schema.tenantSettings).where(eq(schema.tenantSettings.tenantId, ctx.tenant.id)),
    tx.select({ customer: schema.tenants.stripeCustomerId }).from(schema.tenants).where(eq(schema.tenants.id, ctx.tenant.id)),
  ]);
  return {
    configured: billingConfigured(),
    entitlements,
    usage,
    publishedCourses: published!,
    sellsCourses: (settings?.sells ?? false) && entitlements.sellsCourses && billingConfigured(),
    hasCustomer: !!tenant?.customer,
  };
}

function assertOwnerWithBilling(ctx: MemberContext): void {
  if (ctx.role !== 'owner') throw new ForbiddenError('billingOwnersOnly');
  if (!billingConfigured()) throw new DomainError('billingNotConfigured', {}, 409);
}

/** Stripe failures become one clear message; the details go to the log (never the key). */
async function callStripe<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    logger.warn({ err: e instanceof Error ? { name: e.name, message: e.message } : e, what }, 'stripe call failed');
    throw new DomainError('stripeUnavailable', {}, 409);
  }
}

/** The organisation's Stripe customer, created on first use (idempotent per organisation). */
async function ensureCustomer(tx: Tx, ctx: MemberContext): Promise<string> {
  const [tenant] = await tx.select({ customer: schema.tenants.stripeCustomerId }).from(schema.tenants).where(eq(schema.tenants.id, ctx.tenant.id)).for('update');
  if (tenant?.customer) return tenant.customer;
  const customer = await callStripe('customers.create', () =>
    stripe().customers.create(
      { name: ctx.tenant.name, email: ctx.user.email, metadata: { tenant_id: ctx.tenant.id, tenant_slug: ctx.tenant.slug } },
      { idempotencyKey: `lectern-customer-${ctx.tenant.id}` },
    ),
  );
  await tx.update(schema.tenants).set({ stripeCustomerId: customer.id }).where(eq(schema.tenants.id, ctx.tenant.id));
  return customer.id;
}

export const ChoosePlanInput = z.object({
  plan: z.enum(PAID_PLAN_IDS),
  seats: z.coerce.number().int().min(1).max(100_000),
});
export type ChoosePlanInput = z.infer<typeof ChoosePlanInput>;

/** Paid seats must cover every learner and open invitation, within the plan's range. */
function assertSeatCount(plan: PaidPlanId, seats: number, usage: SeatUsage): void {
  const { min, max } = seatRange(plan);
  if (seats < min || seats > max) throw new ValidationError('seatsOutOfRange', { field: 'seats', params: { plan: planName(plan), min, max } });
  const needed = usage.learners + usage.pendingInvitations;
  if (seats < needed) {
    throw new ValidationError('seatsBelowUsage', { field: 'seats', params: { used: usage.learners, pending: usage.pendingInvitations, needed } });
  }
}

/**
 * Start an upgrade: a Stripe Checkout session for the plan's price (from configuration, never from the
 * browser) and the seat count. The plan changes only when Stripe's signed webhook says so.
 */
export async function startCheckout(tx: Tx, ctx: MemberContext, input: ChoosePlanInput): Promise<{ url: string }> {
  assertOwnerWithBilling(ctx);
  const usage = await seatUsage(tx, ctx.tenant.id);
  assertSeatCount(input.plan, input.seats, usage);
  const entitlements = await loadEntitlements(tx, ctx.tenant.id);
  if (entitlements.source === 'stripe') throw new ConflictError('planUnchanged');
  const price = priceIdFor(input.plan)!;
  const customer = await ensureCustomer(tx, ctx);
  const origin = tenantOrigin(ctx.tenant.slug);
  const session = await callStripe('checkout.sessions.create', () =>
    stripe().checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: ctx.tenant.id,
      line_items: [{ price, quantity: input.seats }],
      subscription_data: { metadata: { tenant_id: ctx.tenant.id } },
      metadata: { tenant_id: ctx.tenant.id, plan: input.plan },
      success_url: `${origin}/admin/billing?checkout=success`,
      cancel_url: `${origin}/admin/billing?checkout=cancelled`,
    }),
  );
  if (!session.url) throw new DomainError('stripeUnavailable', {}, 409);
  await recordAudit(tx, ctx, { action: 'billing.checkout_started', targetType: 'subscription', targetLabel: session.id, after: { plan: input.plan, seats: input.seats } });
  return { url: session.url };
}

/**
 * Change the plan or seat count of a live subscription. A count below the seats in use is refused with
 * the numbers; Stripe is updated, then the plan converges from Stripe's answer (as a webhook would).
 */
export async function changeSubscription(tx: Tx, ctx: MemberContext, input: ChoosePlanInput): Promise<void> {
  assertOwnerWithBilling(ctx);
  const entitlements = await loadEntitlements(tx, ctx.tenant.id);
  if (entitlements.source !== 'stripe' || !entitlements.stripeSubscriptionId) throw new ConflictError('noSubscription');
  if (entitlements.plan === input.plan && entitlements.seatLimit === input.seats) throw new ConflictError('planUnchanged');
  if (entitlements.status !== 'active' && entitlements.status !== 'trialing') throw new ConflictError('subscriptionNotChangeable', { params: { status: entitlements.status } });
  await lockSeats(tx, ctx.tenant.id); // seat changes and seat-taking actions take turns
  assertSeatCount(input.plan, input.seats, await seatUsage(tx, ctx.tenant.id));
  const subscriptionId = entitlements.stripeSubscriptionId;
  const current = await callStripe('subscriptions.retrieve', () => stripe().subscriptions.retrieve(subscriptionId));
  const item = current.items.data[0];
  if (!item) throw new DomainError('stripeUnavailable', {}, 409);
  const updated = await callStripe('subscriptions.update', () =>
    stripe().subscriptions.update(subscriptionId, {
      items: [{ id: item.id, price: priceIdFor(input.plan)!, quantity: input.seats }],
      proration_behavior: 'create_prorations',
    }),
  );
  await applySubscription(tx, ctx.tenant.id, updated);
  await recordAudit(tx, ctx, {
    action: 'billing.plan_changed',
    targetType: 'subscription',
    targetLabel: subscriptionId,
    before: { plan: entitlements.plan, seats: entitlements.seatLimit },
    after: { plan: input.plan, seats: input.seats },
  });
}

/** Write what Stripe answered about a subscription Lectern just changed (the webhook that follows finds it applied). */
async function applySubscription(tx: Tx, tenantId: string, sub: Stripe.Subscription): Promise<void> {
  const [before] = await tx.select().from(schema.billingSubscriptions).where(eq(schema.billingSubscriptions.tenantId, tenantId));
  await tx.update(schema.billingSubscriptions).set(subscriptionState(sub, before)).where(eq(schema.billingSubscriptions.tenantId, tenantId));
}

/** A Stripe Billing Portal session: payment method, invoices, cancellation. Changes come back as webhooks. */
export async function openBillingPortal(tx: Tx, ctx: MemberContext): Promise<{ url: string }> {
  assertOwnerWithBilling(ctx);
  const [tenant] = await tx.select({ customer: schema.tenants.stripeCustomerId }).from(schema.tenants).where(eq(schema.tenants.id, ctx.tenant.id));
  if (!tenant?.customer) throw new ConflictError('noSubscription');
  const customer = tenant.customer;
  const session = await callStripe('billingPortal.sessions.create', () =>
    stripe().billingPortal.sessions.create({ customer, return_url: `${tenantOrigin(ctx.tenant.slug)}/admin/billing` }),
  );
  return { url: session.url };
}

export type InvoiceRow = { id: string; number: string | null; createdAt: Date; status: string | null; totalCents: number; currency: string; url: string | null; pdf: string | null };

/** The latest invoices, read live from Stripe; null when they could not be read (the page says so). */
export async function listInvoices(tx: Tx, ctx: MemberContext): Promise<InvoiceRow[] | null> {
  assertRole(ctx, 'admin');
  if (!billingConfigured()) return [];
  const [tenant] = await tx.select({ customer: schema.tenants.stripeCustomerId }).from(schema.tenants).where(eq(schema.tenants.id, ctx.tenant.id));
  if (!tenant?.customer) return [];
  const customer = tenant.customer;
  try {
    const list = await stripe().invoices.list({ customer, limit: 12 });
    return list.data.map((i) => ({
      id: i.id ?? '',
      number: i.number,
      createdAt: new Date(i.created * 1000),
      status: i.status,
      totalCents: i.total,
      currency: i.currency,
      url: i.hosted_invoice_url ?? null,
      pdf: i.invoice_pdf ?? null,
    }));
  } catch (e) {
    logger.warn({ err: e instanceof Error ? { name: e.name, message: e.message } : e }, 'could not list invoices');
    return null;
  }
}

export const CourseSalesInput = z.object({ sellsCourses: z.enum(['on', 'off']).transform((v) => v === 'on') });

/** Turn selling priced courses on or off (an admin; needs Stripe and a plan that sells). */
export async function setCourseSales(tx: Tx, ctx: MemberContext, input: z.infer<typeof CourseSalesInput>): Promise<void> {
  assertRole(ctx, 'admin');
  if (input.sellsCourses) {
    if (!billingConfigured()) throw new DomainError('billingNotConfigured', {}, 409);
    const entitlements = await loadEntitlements(tx, ctx.tenant.id);
    if (!entitlements.sellsCourses) throw new ForbiddenError('sellingNeedsPlan');
  }
  await tx.update(schema.tenantSettings).set({ sellsCourses: input.sellsCourses, updatedAt: new Date() }).where(eq(schema.tenantSettings.tenantId, ctx.tenant.id));
  await recordAudit(tx, ctx, { action: input.sellsCourses ? 'billing.course_sales_on' : 'billing.course_sales_off', targetType: 'organisation', targetId: ctx.tenant.id });
}

/** A plan granted without Stripe (the demo organisations, or a deal made by hand). */
export async function grantPlan(tx: Tx, tenantId: string, plan: PaidPlanId, seats?: number): Promise<void> {
  const values = { source: 'grant' as const, plan, seatLimit: seats ?? null, status: 'active', syncedAt: new Date() };
  await tx.insert(schema.billingSubscriptions).values({ tenantId, ...values }).onConflictDoUpdate({ target: schema.billingSubscriptions.tenantId, set: values });
}

export type PlanPrice = { unitAmount: number; currency: string; interval: string };
let priceCache: { at: number; prices: Partial<Record<PaidPlanId, PlanPrice>> } | undefined;

/** Per-seat prices of the paid plans as Stripe has them (cached for ten minutes); empty when unreadable. */
export async function planPrices(): Promise<Partial<Record<PaidPlanId, PlanPrice>>> {
  if (!billingConfigured()) return {};
  if (priceCache && Date.now() - priceCache.at < 10 * 60_000) return priceCache.prices;
  const prices: Partial<Record<PaidPlanId, PlanPrice>> = {};
  try {
    for (const plan of PAID_PLAN_IDS) {
      const price = await stripe().prices.retrieve(priceIdFor(plan)!);
      if (price.unit_amount !== null) prices[plan] = { unitAmount: price.unit_amount, currency: price.currency, interval: price.recurring?.interval ?? 'month' };
    }
    priceCache = { at: Date.now(), prices };
  } catch (e) {
    logger.warn({ err: e instanceof Error ? { name: e.name, message: e.message } : e }, 'could not read plan prices');
  }
  return prices;
}
