/**
 * An owner upgrading through Stripe Checkout, changing the seat count, and opening the portal: the service
 * functions with an owner's context, what they send to the fake Stripe, and the webhooks the fake then
 * delivers to a local receiver that hands them to processStripeWebhook (so the plan changes only when a
 * signed webhook says so).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { billingOverview, changeSubscription, listInvoices, openBillingPortal, startCheckout, type ChoosePlanInput } from '@/lib/billing/service';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { inviteMember } from '@/lib/members/service';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';
import { addLearners, auditCount, entitlementsOf, PRICE_BUSINESS, PRICE_TEAM, rejectionOf, sessionIdFromUrl, startBillingFake, startWebhookReceiver } from '../support/billing';

// Before anything reads the configuration (env() is parsed once per process).
const { fake, restoreEnv } = await startBillingFake();
const receiver = await startWebhookReceiver();
fake.webhookUrl = receiver.url;

const owner = ownerSql();
afterAll(async () => {
  await fake.settled();
  await fake.close();
  await receiver.close();
  await owner.end();
  restoreEnv();
});

const checkout = (ctx: MemberContext, input: ChoosePlanInput) => as(ctx, (tx, c) => startCheckout(tx, c, input));
const change = (ctx: MemberContext, input: ChoosePlanInput) => as(ctx, (tx, c) => changeSubscription(tx, c, input));
const callsTo = (method: string, path: string | RegExp) => fake.calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)));

let org: Org;
let admin: MemberContext;

beforeAll(async () => {
  // 9 learners and 2 open learner invitations: 11 seats in use.
  org = await makeOrg('upgrade', { plan: 'free' });
  admin = await addMember(org.tenant, 'admin');
  await addLearners(org.tenant, 9);
  for (const email of ['new1@upgrade.test', 'new2@upgrade.test']) await as(org.owner, (tx, c) => inviteMember(tx, c, { email, role: 'learner' }));
  // An instructor invitation holds no seat.
  await as(org.owner, (tx, c) => inviteMember(tx, c, { email: 'teacher@upgrade.test', role: 'instructor' }));
});

beforeEach(async () => {
  await fake.settled();
  fake.reset();
  receiver.received.length = 0;
});

describe('startCheckout', () => {
  it('refuses seat counts outside the plan range or below the seats in use, and anyone but an owner, without calling Stripe', async () => {
    for (const [input, min, max] of [
      [{ plan: 'team', seats: 9 }, 10, 1000],
      [{ plan: 'team', seats: 1001 }, 10, 1000],
      [{ plan: 'business', seats: 49 }, 50, 100_000],
    ] as const) {
      const e = await rejectionOf(checkout(org.owner, input));
      expect(e, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect(e).toMatchObject({ code: 'seatsOutOfRange', status: 422, field: 'seats', params: { min, max } });
    }

    const below = await rejectionOf(checkout(org.owner, { plan: 'team', seats: 10 }));
    expect(below).toBeInstanceOf(ValidationError);
    expect(below).toMatchObject({ code: 'seatsBelowUsage', params: { used: 9, pending: 2, needed: 11 } });

    const notOwner = await rejectionOf(checkout(admin, { plan: 'team', seats: 20 }));
    expect(notOwner).toBeInstanceOf(ForbiddenError);
    expect(notOwner).toMatchObject({ code: 'billingOwnersOnly', status: 403 });

    expect(fake.calls).toEqual([]);
    const [tenant] = await owner`select stripe_customer_id from tenants where id = ${org.tenant.id}`;
    expect(tenant!.stripe_customer_id).toBeNull();
  });

  it('creates the Stripe customer once, sends the configured price, the seat count and the organisation, and changes nothing until paid', async () => {
    // A price id smuggled into the input is not used.
    const first = await checkout(org.owner, { plan: 'team', seats: 11, price: 'price_business' } as ChoosePlanInput);
    const second = await checkout(org.owner, { plan: 'team', seats: 14 });

    const customers = callsTo('POST', '/v1/customers');
    expect(customers).toHaveLength(1);
    expect(customers[0]!.params).toMatchObject({ email: org.owner.user.email, metadata: { tenant_id: org.tenant.id } });
    const [tenant] = await owner`select stripe_customer_id from tenants where id = ${org.tenant.id}`;
    const customerId = tenant!.stripe_customer_id as string;
    expect(customerId).toMatch(/^cus_/);

    const sessions = callsTo('POST', '/v1/checkout/sessions');
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.params).toMatchObject({ mode: 'subscription', customer: customerId, client_reference_id: org.tenant.id, line_items: [{ price: PRICE_TEAM, quantity: '11' }] });
    expect(sessions[1]!.params).toMatchObject({ customer: customerId, client_reference_id: org.tenant.id, line_items: [{ price: PRICE_TEAM, quantity: '14' }] });
    expect(first.url).toBe(`${fake.url}/checkout/${sessionIdFromUrl(first.url)}`);
    expect(sessionIdFromUrl(second.url)).not.toBe(sessionIdFromUrl(first.url));
    expect(await auditCount(owner, org.tenant.id, 'billing.checkout_started')).toBe(2);

    // Starting a checkout is not paying for one.
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });
    expect(receiver.received).toEqual([]);

    // Paying delivers subscription.created, invoice.paid and checkout.session.completed; the plan follows.
    await fake.pay(sessionIdFromUrl(first.url));
    expect(receiver.received.map((r) => [r.type, r.outcome.status])).toEqual([
      ['customer.subscription.created', 200],
      ['invoice.paid', 200],
      ['checkout.session.completed', 200],
    ]);
    expect(fake.deliveries.every((d) => d.status === 200)).toBe(true);
    const ov = await as(org.owner, (tx, c) => billingOverview(tx, c));
    expect(ov).toMatchObject({ configured: true, hasCustomer: true, usage: { learners: 9, pendingInvitations: 2 } });
    expect(ov.entitlements).toMatchObject({ plan: 'team', source: 'stripe', seatLimit: 11, status: 'active' });
    expect(await auditCount(owner, org.tenant.id, 'billing.subscription_changed')).toBe(1);

    // A live subscription is changed, not bought again.
    const again = await rejectionOf(checkout(org.owner, { plan: 'team', seats: 30 }));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ code: 'planUnchanged' });
  });

  it('the seats bought are the seats enforced: the 12th learner seat is refused', async () => {
    // 9 learners + 2 open invitations on 11 paid seats.
    const e = await rejectionOf(as(org.owner, (tx, c) => inviteMember(tx, c, { email: 'one-more@upgrade.test', role: 'learner' })));
    expect(e).toBeInstanceOf(BillingLimitError);
    expect(e).toMatchObject({ code: 'seatLimitReached', status: 402, params: { limit: 11, plan: 'Team' } });
  });
});

describe('changeSubscription', () => {
  it('refuses a seat count below the seats in use without calling Stripe', async () => {
    const e = await rejectionOf(change(org.owner, { plan: 'team', seats: 10 }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({ code: 'seatsBelowUsage', params: { needed: 11 } });
    const same = await rejectionOf(change(org.owner, { plan: 'team', seats: 11 }));
    expect(same).toMatchObject({ code: 'planUnchanged' });
    const notOwner = await rejectionOf(change(admin, { plan: 'team', seats: 30 }));
    expect(notOwner).toMatchObject({ code: 'billingOwnersOnly', status: 403 });
    expect(fake.calls).toEqual([]);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 11 });
  });

  it('updates the quantity in Stripe and locally; the webhook that follows agrees', async () => {
    const { stripeSubscriptionId } = await entitlementsOf(org.tenant);
    await change(org.owner, { plan: 'team', seats: 20 });

    const updates = callsTo('POST', `/v1/subscriptions/${stripeSubscriptionId}`);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.params).toMatchObject({ items: [{ price: PRICE_TEAM, quantity: '20' }], proration_behavior: 'create_prorations' });
    expect(fake.subscription(stripeSubscriptionId!)!.items.data[0]!.quantity).toBe(20);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 20 });
    expect(await auditCount(owner, org.tenant.id, 'billing.plan_changed')).toBe(1);

    await fake.settled();
    expect(receiver.received.map((r) => [r.type, r.outcome.status])).toEqual([['customer.subscription.updated', 200]]);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 20 });
  });

  it('moves to another plan with its configured price', async () => {
    const { stripeSubscriptionId } = await entitlementsOf(org.tenant);
    await change(org.owner, { plan: 'business', seats: 60 });
    const [update] = callsTo('POST', `/v1/subscriptions/${stripeSubscriptionId}`);
    expect(update!.params).toMatchObject({ items: [{ price: PRICE_BUSINESS, quantity: '60' }] });
    expect(fake.subscription(stripeSubscriptionId!)!.items.data[0]!.price.id).toBe(PRICE_BUSINESS);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'business', seatLimit: 60, publishedCourseLimit: null });
    await fake.settled();
    expect(receiver.received.every((r) => r.outcome.status === 200)).toBe(true);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'business', seatLimit: 60 });
  });

  it('an organisation without a subscription has nothing to change', async () => {
    const other = await makeOrg('nosub', { plan: 'free' });
    const e = await rejectionOf(change(other.owner, { plan: 'team', seats: 10 }));
    expect(e).toMatchObject({ code: 'noSubscription', status: 409 });
    expect(fake.calls).toEqual([]);
  });
});

describe('portal and invoices', () => {
  it('opens the billing portal for the organisation’s customer and lists its invoices from Stripe', async () => {
    const [tenant] = await owner`select stripe_customer_id from tenants where id = ${org.tenant.id}`;
    const { url } = await as(org.owner, (tx, c) => openBillingPortal(tx, c));
    expect(url).toMatch(new RegExp(`^${fake.url}/portal/bps_`));
    const [call] = callsTo('POST', '/v1/billing_portal/sessions');
    expect(call!.params).toMatchObject({ customer: tenant!.stripe_customer_id, return_url: expect.stringMatching(/\/admin\/billing$/) });

    expect(await rejectionOf(as(admin, (tx, c) => openBillingPortal(tx, c)))).toMatchObject({ code: 'billingOwnersOnly' });

    // The first invoice: 11 Team seats at 8.00.
    const invoices = await as(admin, (tx, c) => listInvoices(tx, c));
    expect(invoices).toEqual([expect.objectContaining({ status: 'paid', totalCents: 11 * 800, currency: 'usd', number: expect.stringMatching(/^FAKE-/) })]);
  });
});
