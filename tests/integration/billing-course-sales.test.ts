/**
 * Selling courses: turning sales on (a plan that sells), pricing a course, a learner buying it through the
 * fake Stripe Checkout, and the webhook that fulfils the order — once, and only when the signed session
 * matches the order Lectern wrote (organisation, order, amount).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import type { MemberContext } from '@/lib/auth/context';
import { setCoursePrice, startCoursePurchase } from '@/lib/billing/course-sales';
import { billingOverview, setCourseSales } from '@/lib/billing/service';
import { processStripeWebhook } from '@/lib/billing/webhook';
import { selfEnrol } from '@/lib/enrolment/service';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';
import { auditCount, rejectionOf, sendWebhook, sessionIdFromUrl, signedEvent, startBillingFake, startWebhookReceiver, stripeEventRows } from '../support/billing';

// Before anything reads the configuration (env() is parsed once per process).
const { fake, restoreEnv } = await startBillingFake();
const receiver = await startWebhookReceiver();
fake.webhookUrl = receiver.url;

const owner = ownerSql();
afterAll(async () => {
  await fake.close();
  await receiver.close();
  await owner.end();
  restoreEnv();
});

let shop: Org; // a granted Business plan (factories' default): may sell courses
let other: Org;
let course: ShortCourse;
let instructor: MemberContext;
let buyer: MemberContext;

const price = (ctx: MemberContext, value: string, currency = 'usd') => as(ctx, (tx, c) => setCoursePrice(tx, c, course.id, { price: value, currency: currency as 'usd' }));
const purchase = (ctx: MemberContext) => as(ctx, (tx, c) => startCoursePurchase(tx, c, course.id));

async function coursePrice() {
  const [row] = await owner`select price_cents, price_currency from courses where id = ${course.id}`;
  return { cents: row!.price_cents as number | null, currency: row!.price_currency as string | null };
}
async function orderOf(sessionId: string) {
  const [row] = await owner`select id, status, amount_cents, currency, paid_at, payment_intent_id from course_orders where checkout_session_id = ${sessionId}`;
  return row;
}
async function enrolmentsOf(userId: string) {
  return owner`select status, role from enrolments where course_id = ${course.id} and user_id = ${userId}`;
}
async function receiptsTo(email: string) {
  return owner`select subject, text from emails where tenant_id = ${shop.tenant.id} and "to" = ${email} and subject like 'Your receipt%'`;
}

beforeAll(async () => {
  shop = await makeOrg('shop');
  other = await makeOrg('other');
  instructor = await addMember(shop.tenant, 'instructor');
  buyer = await addMember(shop.tenant, 'learner', { email: 'buyer@shop.test' });
  course = await shortCourse(instructor, 'Pottery for Beginners');
});

beforeEach(() => {
  fake.reset();
  receiver.received.length = 0;
});

describe('turning course sales on', () => {
  it('needs a plan that sells: refused on Free, allowed on a paid plan', async () => {
    const free = await makeOrg('freebie', { plan: 'free' });
    const e = await rejectionOf(as(free.owner, (tx, c) => setCourseSales(tx, c, { sellsCourses: true })));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e).toMatchObject({ code: 'sellingNeedsPlan', status: 403 });
    const [settings] = await owner`select sells_courses from tenant_settings where tenant_id = ${free.tenant.id}`;
    expect(settings!.sells_courses).toBe(false);

    // Pricing a course is refused while sales are off.
    expect(await rejectionOf(price(instructor, '49.00'))).toMatchObject({ code: 'courseSalesOff', status: 403 });

    await as(shop.owner, (tx, c) => setCourseSales(tx, c, { sellsCourses: true }));
    expect((await as(shop.owner, (tx, c) => billingOverview(tx, c))).sellsCourses).toBe(true);
    expect(await auditCount(owner, shop.tenant.id, 'billing.course_sales_on')).toBe(1);
  });
});

describe('pricing a course', () => {
  it('parses a plain amount into cents and refuses anything else', async () => {
    await price(instructor, '1,299.50', 'eur');
    expect(await coursePrice()).toEqual({ cents: 129950, currency: 'eur' });
    await price(instructor, '49.00');
    expect(await coursePrice()).toEqual({ cents: 4900, currency: 'usd' });

    for (const bad of ['0.1', 'abc', '-5', '49.999', '0.49', '10000000']) {
      const e = await rejectionOf(price(instructor, bad));
      expect(e, bad).toBeInstanceOf(ValidationError);
      expect(e, bad).toMatchObject({ code: 'coursePriceInvalid', field: 'price' });
    }
    expect(await coursePrice()).toEqual({ cents: 4900, currency: 'usd' });
    // A learner cannot price it.
    expect(await rejectionOf(price(buyer, '1.00'))).toBeInstanceOf(ForbiddenError);
    expect(await coursePrice()).toEqual({ cents: 4900, currency: 'usd' });
  });

  it('a priced course cannot be joined with the free Enrol button', async () => {
    const e = await rejectionOf(as(buyer, (tx, c) => selfEnrol(tx, c, course.id)));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e).toMatchObject({ code: 'courseIsPaid', status: 403 });
    expect(await enrolmentsOf(buyer.user.id)).toHaveLength(0);
  });
});

describe('buying a course', () => {
  let sessionId: string;
  let completedEventId: string;

  it('opens a Checkout session for the price in the database, with the order and organisation in its metadata', async () => {
    const { url } = await purchase(buyer);
    sessionId = sessionIdFromUrl(url);
    const order = await orderOf(sessionId);
    expect(order).toMatchObject({ status: 'pending', amount_cents: 4900, currency: 'usd' });

    const [call] = fake.calls.filter((c) => c.method === 'POST' && c.path === '/v1/checkout/sessions');
    expect(call!.params).toMatchObject({
      mode: 'payment',
      customer_email: buyer.user.email,
      client_reference_id: shop.tenant.id,
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '4900', product_data: { name: 'Pottery for Beginners' } } }],
      metadata: { tenant_id: shop.tenant.id, order_id: order!.id, course_id: course.id },
    });
    // Nothing is granted before payment.
    expect(await enrolmentsOf(buyer.user.id)).toHaveLength(0);
  });

  it('paying enrols the buyer, marks the order paid, queues a receipt and audits the purchase', async () => {
    const [before] = await owner`select seats_taken from courses where id = ${course.id}`;
    await fake.pay(sessionId);
    const completed = receiver.received.find((r) => r.type === 'checkout.session.completed');
    expect(completed?.outcome).toMatchObject({ status: 200, result: 'applied', detail: 'fulfilled' });
    completedEventId = completed!.id;

    expect(await orderOf(sessionId)).toMatchObject({ status: 'paid', paid_at: expect.any(Date), payment_intent_id: expect.stringMatching(/^pi_/) });
    expect(await enrolmentsOf(buyer.user.id)).toEqual([{ status: 'active', role: 'learner' }]);
    const [after] = await owner`select seats_taken from courses where id = ${course.id}`;
    expect(after!.seats_taken).toBe((before!.seats_taken as number) + 1);
    const receipts = await receiptsTo(buyer.user.email);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.subject).toBe('Your receipt: Pottery for Beginners');
    expect(receipts[0]!.text).toContain('$49.00');
    expect(await auditCount(owner, shop.tenant.id, 'course.purchased')).toBe(1);

    // Bought is bought: a second purchase is refused.
    expect(await rejectionOf(purchase(buyer))).toBeInstanceOf(ConflictError);
  });

  it('a replayed completion changes nothing: one enrolment, one receipt', async () => {
    const session = fake.session(sessionId)!;
    const replay = signedEvent(fake, 'checkout.session.completed', session, { id: completedEventId });
    expect(await processStripeWebhook(replay.body, replay.header)).toMatchObject({ status: 200, result: 'duplicate' });
    // The same payment reported by another event (a new id) finds the order paid.
    expect(await sendWebhook(fake, 'checkout.session.async_payment_succeeded', session)).toMatchObject({ status: 200, result: 'applied', detail: 'already-paid' });

    expect(await enrolmentsOf(buyer.user.id)).toHaveLength(1);
    expect(await receiptsTo(buyer.user.email)).toHaveLength(1);
    expect(await auditCount(owner, shop.tenant.id, 'course.purchased')).toBe(1);
  });
});

describe('a tampered completion, validly signed', () => {
  it('is refused (422) when the amount, organisation or order does not match; the genuine one then fulfils', async () => {
    const second = await addMember(shop.tenant, 'learner', { email: 'second@shop.test' });
    const { url } = await purchase(second);
    const sessionId = sessionIdFromUrl(url);
    const order = await orderOf(sessionId);
    // What a paid session for this order looks like (the fake's session is still open: the buyer has not paid).
    const genuine = { ...fake.session(sessionId)!, status: 'complete', payment_status: 'paid', payment_intent: 'pi_forged' } as Stripe.Checkout.Session;

    const tampered: [string, Stripe.Checkout.Session][] = [
      ['amount lowered', { ...genuine, amount_total: 100, amount_subtotal: 100 }],
      ['currency changed', { ...genuine, currency: 'jpy' }],
      ['metadata names another organisation', { ...genuine, metadata: { ...genuine.metadata, tenant_id: other.tenant.id } }],
      ['both ids name another organisation', { ...genuine, client_reference_id: other.tenant.id, metadata: { ...genuine.metadata, tenant_id: other.tenant.id } }],
      ['unknown order', { ...genuine, metadata: { ...genuine.metadata, order_id: randomUUID() } }],
      ['no metadata', { ...genuine, metadata: {} }],
      ['another session id', { ...genuine, id: 'cs_test_someoneelse' }],
    ];
    for (const [what, session] of tampered) {
      const outcome = await sendWebhook(fake, 'checkout.session.completed', session);
      expect(outcome, what).toMatchObject({ status: 422, result: 'refused' });
      expect(await stripeEventRows(owner, outcome.eventId), what).toHaveLength(0);
    }
    expect(await orderOf(sessionId)).toMatchObject({ id: order!.id, status: 'pending', paid_at: null });
    expect(await enrolmentsOf(second.user.id)).toHaveLength(0);
    expect(await receiptsTo(second.user.email)).toHaveLength(0);
    expect(await auditCount(owner, shop.tenant.id, 'course.purchased')).toBe(1);
    const [otherOrders] = await owner`select count(*)::int as n from course_orders where tenant_id = ${other.tenant.id}`;
    expect(otherOrders!.n).toBe(0);

    // The untouched session, paid for real, fulfils the order.
    await fake.pay(sessionId);
    expect(receiver.received.find((r) => r.type === 'checkout.session.completed')?.outcome).toMatchObject({ status: 200, detail: 'fulfilled' });
    expect(await orderOf(sessionId)).toMatchObject({ status: 'paid' });
    expect(await enrolmentsOf(second.user.id)).toEqual([{ status: 'active', role: 'learner' }]);
    expect(await receiptsTo(second.user.email)).toHaveLength(1);
  });

  it('two different events for the same paid session at once fulfil it once', async () => {
    const third = await addMember(shop.tenant, 'learner', { email: 'third@shop.test' });
    const sessionId = sessionIdFromUrl((await purchase(third)).url);
    const paid = { ...fake.session(sessionId)!, status: 'complete', payment_status: 'paid', payment_intent: 'pi_third' };
    const outcomes = await Promise.all([sendWebhook(fake, 'checkout.session.completed', paid), sendWebhook(fake, 'checkout.session.async_payment_succeeded', paid)]);
    expect(outcomes.map((o) => o.detail).sort()).toEqual(['already-paid', 'fulfilled']);
    expect(await enrolmentsOf(third.user.id)).toEqual([{ status: 'active', role: 'learner' }]);
    expect(await receiptsTo(third.user.email)).toHaveLength(1);
    expect(await auditCount(owner, shop.tenant.id, 'course.purchased')).toBe(3);
  });
});
