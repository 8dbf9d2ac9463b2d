/**
 * A Lectern installation without Stripe (no STRIPE_SECRET_KEY): webhooks are refused, every organisation
 * has the Free limits unless Lectern granted it a plan, and nothing offers to take payment.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { billingOverview, changeSubscription, listInvoices, openBillingPortal, setCourseSales, startCheckout } from '@/lib/billing/service';
import { processStripeWebhook } from '@/lib/billing/webhook';
import { createCourse, setCourseStatus } from '@/lib/courses/service';
import { DomainError } from '@/lib/errors';
import { inviteMember } from '@/lib/members/service';
import { shortCourse } from '../support/courses';
import { as, makeOrg } from '../support/factories';
import { ownerSql } from '../support/owner';
import { addLearners, clearStripeEnv, rejectionOf, saveStripeEnv } from '../support/billing';

// Before anything reads the configuration (env() is parsed once per process): no Stripe at all.
const restoreEnv = saveStripeEnv();
clearStripeEnv();

const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  restoreEnv();
});

describe('billing not configured', () => {
  it('refuses every webhook with 400 not-configured and records nothing', async () => {
    const body = JSON.stringify({ id: 'evt_unconfigured', object: 'event', type: 'customer.subscription.updated', created: 1, data: { object: {} } });
    expect(await processStripeWebhook(body, 't=1,v1=deadbeef')).toMatchObject({ status: 400, result: 'not-configured' });
    expect(await processStripeWebhook(body, null)).toMatchObject({ status: 400, result: 'not-configured' });
    expect(await owner`select 1 from stripe_events where id = 'evt_unconfigured'`).toHaveLength(0);
  });

  it('an organisation has the Free limits: 25 learner seats, 3 published courses, no course sales', async () => {
    const org = await makeOrg('plain', { plan: 'free' });
    const ov = await as(org.owner, (tx, c) => billingOverview(tx, c));
    expect(ov).toMatchObject({ configured: false, hasCustomer: false, sellsCourses: false });
    expect(ov.entitlements).toMatchObject({ plan: 'free', source: 'free', seatLimit: 25, publishedCourseLimit: 3, sellsCourses: false });

    await addLearners(org.tenant, 25);
    const e = await rejectionOf(as(org.owner, (tx, c) => inviteMember(tx, c, { email: 'twenty-six@plain.test', role: 'learner' })));
    expect(e).toBeInstanceOf(BillingLimitError);
    expect(e).toMatchObject({ code: 'seatLimitReached', status: 402, params: { limit: 25 } });

    for (const title of ['A', 'B', 'C']) await shortCourse(org.owner, title);
    const fourth = await as(org.owner, (tx, c) => createCourse(tx, c, { title: 'D' }));
    expect(await rejectionOf(as(org.owner, (tx, c) => setCourseStatus(tx, c, fourth.id, 'published')))).toMatchObject({ code: 'publishedCourseLimit', status: 402 });
  });

  it('a subscription row left from Stripe is not believed without Stripe to confirm it', async () => {
    const org = await makeOrg('stale', { plan: 'free' });
    await owner`insert into billing_subscriptions (tenant_id, source, plan, seat_limit, status, stripe_subscription_id) values (${org.tenant.id}, 'stripe', 'team', 500, 'active', 'sub_left_over')`;
    const ov = await as(org.owner, (tx, c) => billingOverview(tx, c));
    expect(ov.entitlements).toMatchObject({ plan: 'free', seatLimit: 25, publishedCourseLimit: 3 });
  });

  it('a plan granted by Lectern still applies', async () => {
    const org = await makeOrg('granted'); // the factories' default: a granted Business plan
    const ov = await as(org.owner, (tx, c) => billingOverview(tx, c));
    expect(ov.entitlements).toMatchObject({ plan: 'business', source: 'grant', seatLimit: 100_000, publishedCourseLimit: null });
    await addLearners(org.tenant, 25);
    await as(org.owner, (tx, c) => inviteMember(tx, c, { email: 'twenty-six@granted.test', role: 'learner' }));
    for (const title of ['A', 'B', 'C', 'D']) await shortCourse(org.owner, title);
    expect((await as(org.owner, (tx, c) => billingOverview(tx, c))).publishedCourses).toBe(4);
    // Selling needs Stripe even on a plan that sells.
    expect(ov.sellsCourses).toBe(false);
    expect(await rejectionOf(as(org.owner, (tx, c) => setCourseSales(tx, c, { sellsCourses: true })))).toMatchObject({ code: 'billingNotConfigured' });
  });

  it('offers no checkout, plan change or portal; lists no invoices', async () => {
    const org = await makeOrg('nopay', { plan: 'free' });
    for (const call of [
      () => as(org.owner, (tx, c) => startCheckout(tx, c, { plan: 'team', seats: 10 })),
      () => as(org.owner, (tx, c) => changeSubscription(tx, c, { plan: 'team', seats: 10 })),
      () => as(org.owner, (tx, c) => openBillingPortal(tx, c)),
    ]) {
      const e = await rejectionOf(call());
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'billingNotConfigured', status: 409 });
    }
    expect(await as(org.owner, (tx, c) => listInvoices(tx, c))).toEqual([]);
    const [tenant] = await owner`select stripe_customer_id from tenants where id = ${org.tenant.id}`;
    expect(tenant!.stripe_customer_id).toBeNull();
  });
});
