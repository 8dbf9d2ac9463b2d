/**
 * Stripe webhooks against the fake Stripe: signature checks, replays (sequential and concurrent),
 * out-of-order delivery converging on what Stripe says now, refusals that change nothing, and the
 * HTTP route. Events are signed with the fake's signer and handed to processStripeWebhook directly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/stripe/webhook/route';
import { processStripeWebhook } from '@/lib/billing/webhook';
import { billingOverview } from '@/lib/billing/service';
import { as, makeOrg, type Org } from '../support/factories';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { ownerSql } from '../support/owner';
import { auditCount, entitlementsOf, linkCustomer, PRICE_BUSINESS, PRICE_TEAM, sendWebhook, signedEvent, startBillingFake, stripeEventRows, WEBHOOK_SECRET } from '../support/billing';

// Before anything reads the configuration (env() is parsed once per process).
const { fake, restoreEnv } = await startBillingFake();
fake.createPrice({ id: 'price_not_lectern', unitAmount: 100, nickname: 'Something else' });

const owner = ownerSql();
let fakeOpen = true;
let revived: FakeStripe | null = null; // the fake restarted on the same port (last test)
afterAll(async () => {
  if (fakeOpen) await fake.close();
  await revived?.close();
  await owner.end();
  restoreEnv();
});

const overview = (org: Org) => as(org.owner, (tx, ctx) => billingOverview(tx, ctx));

/** A Free organisation with a Stripe customer of its own. */
async function freeOrgWithCustomer(slug: string) {
  const org = await makeOrg(slug, { plan: 'free' });
  const customer = await linkCustomer(owner, fake, org.tenant);
  return { org, customer };
}

describe('a signed subscription event', () => {
  it('re-reads the customer from Stripe and puts the organisation on that plan and seat count', async () => {
    const { org, customer } = await freeOrgWithCustomer('alpha');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 12 });
    expect((await overview(org)).entitlements).toMatchObject({ plan: 'free', seatLimit: 25, publishedCourseLimit: 3 });

    fake.reset();
    const outcome = await sendWebhook(fake, 'customer.subscription.updated', sub);
    expect(outcome).toMatchObject({ status: 200, result: 'applied' });

    const after = await overview(org);
    expect(after.configured).toBe(true);
    expect(after.entitlements).toMatchObject({ plan: 'team', source: 'stripe', seatLimit: 12, status: 'active', publishedCourseLimit: null, sellsCourses: true, stripeSubscriptionId: sub.id, pastDue: null });
    // Stripe was asked, not just believed.
    expect(fake.calls).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/subscriptions', params: expect.objectContaining({ customer, status: 'all' }) }));
    const [row] = await stripeEventRows(owner, outcome.eventId);
    expect(row).toMatchObject({ type: 'customer.subscription.updated', outcome: 'synced: team active' });
  });
});

describe('signature checks', () => {
  it('refuses a tampered body, a missing header, a stale timestamp and the wrong secret; the same event signed properly applies', async () => {
    const { org, customer } = await freeOrgWithCustomer('beta');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 15 });
    const signed = signedEvent(fake, 'customer.subscription.updated', sub);
    const now = Math.floor(Date.now() / 1000);
    const tampered = signed.body.replace('"quantity":15', '"quantity":150');
    expect(tampered).not.toBe(signed.body);

    const attempts: [string, string, string | null][] = [
      ['tampered body', tampered, signed.header],
      ['missing header', signed.body, null],
      ['empty header', signed.body, ''],
      ['garbage header', signed.body, 'not-a-signature'],
      ['signed 301 s ago', signed.body, fake.signature(signed.body, { timestamp: now - 301 })],
      ['signed 1 h ago', signed.body, fake.signature(signed.body, { timestamp: now - 3600 })],
      ['wrong secret', signed.body, fake.signature(signed.body, { secret: 'whsec_someone_else' })],
    ];
    for (const [what, body, header] of attempts) {
      const outcome = await processStripeWebhook(body, header);
      expect(outcome, what).toMatchObject({ status: 400, result: 'bad-signature' });
    }
    expect((await processStripeWebhook(signed.body, null)).detail).toMatch(/Stripe-Signature/);

    // Nothing changed, nothing recorded (a recorded id would make Stripe's genuine retry a "duplicate").
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });
    expect(await stripeEventRows(owner, signed.event.id)).toHaveLength(0);
    expect(await auditCount(owner, org.tenant.id, 'billing.subscription_changed')).toBe(0);

    // The very same event, signed within the five-minute tolerance, is good.
    const ok = await processStripeWebhook(signed.body, fake.signature(signed.body, { timestamp: now - 240 }));
    expect(ok).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 15 });
  });
});

describe('replays', () => {
  it('ten sequential deliveries of one event apply it once', async () => {
    const { org, customer } = await freeOrgWithCustomer('gamma');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 20 });
    const { event, body, header } = signedEvent(fake, 'customer.subscription.updated', sub);

    const results: string[] = [];
    for (let i = 0; i < 10; i++) {
      const outcome = await processStripeWebhook(body, header);
      expect(outcome.status).toBe(200);
      results.push(outcome.result);
    }
    expect(results).toEqual(['applied', ...Array<string>(9).fill('duplicate')]);
    expect(await stripeEventRows(owner, event.id)).toHaveLength(1);
    expect(await auditCount(owner, org.tenant.id, 'billing.subscription_changed')).toBe(1);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 20 });
  });

  it('ten concurrent deliveries of one event apply it once', async () => {
    const { org, customer } = await freeOrgWithCustomer('delta');
    const sub = fake.createSubscription({ customer, price: PRICE_BUSINESS, quantity: 60 });
    const { event, body, header } = signedEvent(fake, 'customer.subscription.updated', sub);

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => processStripeWebhook(body, header)));
    expect(outcomes.map((o) => o.status)).toEqual(Array<number>(10).fill(200));
    expect(outcomes.filter((o) => o.result === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o.result === 'duplicate')).toHaveLength(9);
    expect(await stripeEventRows(owner, event.id)).toHaveLength(1);
    expect(await auditCount(owner, org.tenant.id, 'billing.subscription_changed')).toBe(1);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'business', seatLimit: 60 });
  });
});

describe('events out of order', () => {
  it('a stale "created" snapshot arriving after "updated" does not roll the seats back', async () => {
    const { org, customer } = await freeOrgWithCustomer('epsilon');
    const created = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 10 });
    const updated = fake.setSubscription(created.id, { quantity: 40 });
    expect(created.items.data[0]!.quantity).toBe(10); // the stale snapshot really says 10

    expect(await sendWebhook(fake, 'customer.subscription.updated', updated)).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 40 });
    expect(await sendWebhook(fake, 'customer.subscription.created', created, { created: created.created - 60 })).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 40 });
  });

  it('a "deleted" event for an old subscription keeps the plan of the newer live one; cancelling that one drops to Free', async () => {
    const { org, customer } = await freeOrgWithCustomer('zeta');
    const old = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 15 });
    expect(await sendWebhook(fake, 'customer.subscription.created', old)).toMatchObject({ result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 15, stripeSubscriptionId: old.id });

    // In Stripe: the old subscription is cancelled and a newer one (Business, 70 seats) is live.
    const newer = fake.createSubscription({ customer, price: PRICE_BUSINESS, quantity: 70 });
    const oldCancelled = fake.setSubscription(old.id, { status: 'canceled' });
    expect(await sendWebhook(fake, 'customer.subscription.created', newer)).toMatchObject({ result: 'applied' });
    // The late "deleted" for the old subscription changes nothing that matters.
    expect(await sendWebhook(fake, 'customer.subscription.deleted', oldCancelled)).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'business', seatLimit: 70, status: 'active', stripeSubscriptionId: newer.id });

    // Now the live one is cancelled too: Free limits.
    const newerCancelled = fake.setSubscription(newer.id, { status: 'canceled' });
    expect(await sendWebhook(fake, 'customer.subscription.deleted', newerCancelled)).toMatchObject({ status: 200, result: 'applied' });
    const ov = await overview(org);
    expect(ov.entitlements).toMatchObject({ plan: 'free', source: 'free', seatLimit: 25, publishedCourseLimit: 3, sellsCourses: false, status: 'canceled' });
  });

  it('a "deleted" event for the newest subscription keeps the plan of an older one that is still live', async () => {
    const { org, customer } = await freeOrgWithCustomer('nu');
    const live = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 25 });
    expect(await sendWebhook(fake, 'customer.subscription.created', live)).toMatchObject({ result: 'applied' });
    // A second, newer subscription (a duplicate purchase) is created and deleted again.
    const duplicate = fake.createSubscription({ customer, price: PRICE_BUSINESS, quantity: 80 });
    const deleted = fake.setSubscription(duplicate.id, { status: 'canceled' });
    expect(await sendWebhook(fake, 'customer.subscription.deleted', deleted)).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 25, status: 'active', stripeSubscriptionId: live.id });
  });
});

describe('refusals change nothing', () => {
  it('a subscription on a price Lectern does not sell is refused (422) and the plan stays', async () => {
    const { org, customer } = await freeOrgWithCustomer('eta');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 12 });
    expect(await sendWebhook(fake, 'customer.subscription.updated', sub)).toMatchObject({ result: 'applied' });
    const auditsBefore = await auditCount(owner, org.tenant.id, 'billing.subscription_changed');

    const foreign = fake.setSubscription(sub.id, { price: 'price_not_lectern', quantity: 99 });
    const outcome = await sendWebhook(fake, 'customer.subscription.updated', foreign);
    expect(outcome).toMatchObject({ status: 422, result: 'refused' });
    expect(outcome.detail).toContain('price_not_lectern');
    expect(await stripeEventRows(owner, outcome.eventId)).toHaveLength(0);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 12, status: 'active' });
    const [row] = await owner`select stripe_price_id from billing_subscriptions where tenant_id = ${org.tenant.id}`;
    expect(row!.stripe_price_id).toBe(PRICE_TEAM);
    expect(await auditCount(owner, org.tenant.id, 'billing.subscription_changed')).toBe(auditsBefore);
  });

  it('an event for a customer no organisation has is refused (422)', async () => {
    const stranger = fake.createCustomer();
    const sub = fake.createSubscription({ customer: stranger.id, price: PRICE_TEAM, quantity: 10 });
    const outcome = await sendWebhook(fake, 'customer.subscription.updated', sub);
    expect(outcome).toMatchObject({ status: 422, result: 'refused' });
    expect(outcome.detail).toContain(stranger.id);
    expect(await stripeEventRows(owner, outcome.eventId)).toHaveLength(0);
    const [n] = await owner`select count(*)::int as n from billing_subscriptions where stripe_subscription_id = ${sub.id}`;
    expect(n!.n).toBe(0);
  });

  it("a completed subscription Checkout naming another organisation than the customer's is refused (422), neither organisation changes", async () => {
    const theta = await freeOrgWithCustomer('theta');
    const iota = await freeOrgWithCustomer('iota');
    const sub = fake.createSubscription({ customer: theta.customer, price: PRICE_TEAM, quantity: 12 });
    expect(await sendWebhook(fake, 'customer.subscription.created', sub)).toMatchObject({ result: 'applied' });
    // Stripe has moved on (a sync would now change theta), so "nothing changed" is observable.
    fake.setSubscription(sub.id, { quantity: 300 });

    const session = (clientReferenceId: string | null) => ({
      id: 'cs_test_forged',
      object: 'checkout.session',
      mode: 'subscription',
      status: 'complete',
      payment_status: 'paid',
      customer: theta.customer,
      subscription: sub.id,
      client_reference_id: clientReferenceId,
      metadata: { tenant_id: iota.org.tenant.id, plan: 'team' },
    });
    for (const ref of [iota.org.tenant.id, null]) {
      const outcome = await sendWebhook(fake, 'checkout.session.completed', session(ref));
      expect(outcome, String(ref)).toMatchObject({ status: 422, result: 'refused' });
      expect(await stripeEventRows(owner, outcome.eventId)).toHaveLength(0);
    }
    expect(await entitlementsOf(theta.org.tenant)).toMatchObject({ plan: 'team', seatLimit: 12 });
    expect(await entitlementsOf(iota.org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });

    // Named correctly, the same session converges theta on Stripe's 300 seats.
    expect(await sendWebhook(fake, 'checkout.session.completed', session(theta.org.tenant.id))).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(theta.org.tenant)).toMatchObject({ plan: 'team', seatLimit: 300 });
  });

  it('an event type not on the allow-list is acknowledged (200) and ignored', async () => {
    const { org, customer } = await freeOrgWithCustomer('kappa');
    fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 30 });
    for (const type of ['customer.created', 'charge.refunded', 'customer.subscription.paused']) {
      const outcome = await sendWebhook(fake, type, { id: customer, object: 'customer', customer });
      expect(outcome, type).toMatchObject({ status: 200, result: 'ignored' });
      expect(await stripeEventRows(owner, outcome.eventId)).toHaveLength(0);
    }
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });
  });
});

describe('POST /api/stripe/webhook', () => {
  const post = (body: string, header?: string) =>
    POST(new Request('http://localhost:3000/api/stripe/webhook', { method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', ...(header ? { 'stripe-signature': header } : {}) } }));

  it('answers 200 JSON for a valid event (and a replay), 400 problem+json for a bad signature, 422 problem+json for a refusal', async () => {
    const { org, customer } = await freeOrgWithCustomer('lambda');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 11 });
    const { body, header } = signedEvent(fake, 'customer.subscription.updated', sub);

    const bad = await post(body, fake.signature(body, { secret: 'whsec_someone_else' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(await bad.json()).toMatchObject({ status: 400, type: expect.stringContaining('bad-signature') });
    const missing = await post(body);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free' });

    const ok = await post(body, header);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await ok.json()).toEqual({ received: true, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 11 });

    const again = await post(body, header);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, result: 'duplicate' });

    const stranger = fake.createCustomer();
    const refused = signedEvent(fake, 'customer.subscription.updated', fake.createSubscription({ customer: stranger.id, price: PRICE_TEAM, quantity: 10 }));
    const res = await post(refused.body, refused.header);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 422, detail: expect.stringContaining(stranger.id) });
  });
});

// Last: it stops the fake Stripe.
describe('Stripe unreachable while an event is applied', () => {
  it('fails the delivery (so Stripe retries), records nothing, and the retry of the same event applies', async () => {
    const { org, customer } = await freeOrgWithCustomer('mu');
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 17 });
    const { event, body, header } = signedEvent(fake, 'customer.subscription.updated', sub);

    await fake.close();
    fakeOpen = false;
    await expect(processStripeWebhook(body, header)).rejects.toThrow();
    expect(await stripeEventRows(owner, event.id)).toHaveLength(0);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });

    // Stripe is back (same address, same customer and subscription): the retry applies.
    revived = await startFakeStripe({ port: fake.port, webhookSecret: WEBHOOK_SECRET });
    revived.createPrice({ id: PRICE_TEAM, unitAmount: 800 });
    revived.createCustomer({ id: customer });
    revived.createSubscription({ customer, price: PRICE_TEAM, quantity: 17 });
    expect(await processStripeWebhook(body, header)).toMatchObject({ status: 200, result: 'applied' });
    expect(await stripeEventRows(owner, event.id)).toHaveLength(1);
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', seatLimit: 17 });
  });
});
