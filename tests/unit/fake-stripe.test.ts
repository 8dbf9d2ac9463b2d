import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripe, parseStripeParams, startFakeStripe } from '@/tests/support/fake-stripe';

const secret = 'whsec_fake_stripe_unit';

/** A stand-in for Lectern's webhook route: verifies each event as the app will and keeps it. */
type Received = { event: Stripe.Event; host: string | undefined };

async function startReceiver(verifier: Stripe) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = verifier.webhooks.constructEvent(Buffer.concat(chunks).toString('utf8'), req.headers['stripe-signature'] ?? '', secret, 300);
        received.push({ event, host: req.headers.host });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch (e) {
        res.writeHead(400).end(e instanceof Error ? e.message : 'bad');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let fake: FakeStripe;
let stripe: Stripe;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let webhookUrl: string;

beforeAll(async () => {
  fake = await startFakeStripe({ webhookSecret: secret });
  stripe = new Stripe('sk_test_fake', { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 2 });
  receiver = await startReceiver(stripe);
  // A *.localhost name, which Node cannot resolve, proves the fake dials loopback with the Host kept.
  webhookUrl = `http://acme.localhost:${receiver.port}/api/stripe/webhook`;
  fake.webhookUrl = webhookUrl;
  fake.createPrice({ id: 'price_team', unitAmount: 800, nickname: 'Team' });
  fake.createPrice({ id: 'price_business', unitAmount: 1500, nickname: 'Business' });
});

afterAll(async () => {
  await fake.close();
  await receiver.close();
});

beforeEach(() => {
  fake.webhookUrl = webhookUrl;
  receiver.received.length = 0;
  fake.reset();
});

const types = () => receiver.received.map((r) => r.event.type);

async function subscribedCustomer(quantity = 3) {
  const customer = await stripe.customers.create({ name: 'Acme', email: 'owner@acme.test', metadata: { tenant_id: 't1' } });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: 't1',
    line_items: [{ price: 'price_team', quantity }],
    subscription_data: { metadata: { tenant_id: 't1', plan: 'team' } },
    metadata: { tenant_id: 't1' },
    success_url: 'http://acme.localhost:3000/billing?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://acme.localhost:3000/billing',
    allow_promotion_codes: true,
  });
  await fake.pay(session.id);
  const { subscription } = await stripe.checkout.sessions.retrieve(session.id);
  return { customer, session, subscriptionId: subscription as string };
}

describe('parseStripeParams', () => {
  it('turns bracket paths into nested objects and numeric indices into arrays', () => {
    expect(parseStripeParams('line_items[0][price]=price_team&line_items[0][quantity]=3&metadata[tenant_id]=t1&expand[]=a&expand[]=b&limit=10')).toEqual({
      line_items: [{ price: 'price_team', quantity: '3' }],
      metadata: { tenant_id: 't1' },
      expand: ['a', 'b'],
      limit: '10',
    });
    expect(parseStripeParams('items[1][id]=si_2&items[0][id]=si_1&__proto__[x]=1')).toEqual({ items: [{ id: 'si_1' }, { id: 'si_2' }] });
  });
});

describe('fake Stripe with the real SDK', () => {
  it('creates and retrieves customers and prices', async () => {
    const customer = await stripe.customers.create({ name: 'Acme', email: 'owner@acme.test', metadata: { tenant_id: 't1' } });
    expect(customer).toMatchObject({ object: 'customer', name: 'Acme', email: 'owner@acme.test', metadata: { tenant_id: 't1' } });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);

    const price = await stripe.prices.retrieve('price_business');
    expect(price).toMatchObject({ id: 'price_business', object: 'price', currency: 'usd', unit_amount: 1500, active: true, recurring: { interval: 'month' } });
    const withProduct = await stripe.prices.retrieve('price_team', { expand: ['product'] });
    expect(withProduct.product).toMatchObject({ object: 'product', name: 'Team' });
  });

  it('runs a subscription checkout: session, hosted page, payment, webhooks in order', async () => {
    const customer = await stripe.customers.create({ email: 'owner@acme.test' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      client_reference_id: 't1',
      line_items: [{ price: 'price_team', quantity: 12 }],
      subscription_data: { metadata: { tenant_id: 't1' } },
      metadata: { tenant_id: 't1' },
      success_url: 'http://acme.localhost:3000/billing?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://acme.localhost:3000/billing',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({ url: `${fake.url}/checkout/${session.id}`, status: 'open', payment_status: 'unpaid', amount_total: 9600, currency: 'usd', mode: 'subscription', customer: customer.id, client_reference_id: 't1', metadata: { tenant_id: 't1' }, subscription: null });

    const pageHtml = await (await fetch(session.url!)).text();
    expect(pageHtml).toContain('Fake Stripe Checkout');
    expect(pageHtml).toContain('>Pay<');
    expect(pageHtml).toContain('$96.00');

    await fake.pay(session.id);
    expect(types()).toEqual(['customer.subscription.created', 'invoice.paid', 'checkout.session.completed']);
    expect(receiver.received.every((r) => r.host === `acme.localhost:${receiver.port}`)).toBe(true);
    expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200, 200]);

    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const sub = await stripe.subscriptions.retrieve(completed.subscription as string);
    expect(sub).toMatchObject({ object: 'subscription', customer: customer.id, status: 'active', cancel_at_period_end: false, metadata: { tenant_id: 't1' } });
    const item = sub.items.data[0]!;
    expect(item).toMatchObject({ object: 'subscription_item', quantity: 12, price: { id: 'price_team' } });
    expect(item.current_period_end - item.current_period_start).toBe(30 * 24 * 60 * 60);

    const [created, paid, done] = receiver.received.map((r) => r.event);
    expect(created!.data.object).toMatchObject({ id: sub.id, status: 'active' });
    expect(paid!.data.object).toMatchObject({ object: 'invoice', status: 'paid', amount_paid: 9600, parent: { subscription_details: { subscription: sub.id } } });
    expect(done!.data.object).toMatchObject({ id: session.id, status: 'complete', subscription: sub.id, client_reference_id: 't1' });
    expect(done).toMatchObject({ object: 'event', api_version: '2026-10-28.endive', livemode: false });
    expect(fake.session(session.id)?.status).toBe('complete');
  });

  it('runs a one-off payment checkout through the Pay form and redirects to success_url', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer_email: 'learner@acme.test',
      client_reference_id: 'enrol_1',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 4900, product_data: { name: 'Intro to Rust' } }, quantity: 1 }],
      metadata: { course_id: 'c1' },
      payment_intent_data: { metadata: { course_id: 'c1' } },
      success_url: 'http://acme.localhost:3000/courses/c1?paid={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://acme.localhost:3000/courses/c1',
    });
    expect(session).toMatchObject({ mode: 'payment', amount_total: 4900, customer: null, customer_email: 'learner@acme.test' });
    expect(await (await fetch(session.url!)).text()).toContain('Intro to Rust');

    const res = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://acme.localhost:3000/courses/c1?paid=${session.id}`);
    expect(types()).toEqual(['checkout.session.completed']);
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', customer_details: { email: 'learner@acme.test' } });
    expect(completed.payment_intent).toMatch(/^pi_/);
    expect(completed.line_items?.data[0]).toMatchObject({ description: 'Intro to Rust', amount_total: 4900, quantity: 1 });
  });

  it('refuses an unknown price the way Stripe does', async () => {
    const attempt = stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_nope', quantity: 1 }], success_url: 'http://x.test/' });
    await expect(attempt).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'line_items[0][price]' });
  });

  it('lists subscriptions and invoices, and updates seats with a webhook', async () => {
    const { customer, subscriptionId } = await subscribedCustomer(3);
    const subs = await stripe.subscriptions.list({ customer: customer.id, status: 'all', limit: 10 });
    expect(subs).toMatchObject({ object: 'list', has_more: false, url: '/v1/subscriptions' });
    expect(subs.data.map((s) => s.id)).toEqual([subscriptionId]);

    const invoices = await stripe.invoices.list({ customer: customer.id, limit: 10 });
    expect(invoices.data).toHaveLength(1);
    const invoice = invoices.data[0]!;
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2400, amount_due: 2400, total: 2400, currency: 'usd', parent: { subscription_details: { subscription: subscriptionId } } });
    expect(invoice.id).toMatch(/^in_/);
    const invoicePage = await fetch(invoice.hosted_invoice_url!);
    expect(invoicePage.status).toBe(200);
    expect(await invoicePage.text()).toContain('$24.00');

    receiver.received.length = 0;
    const itemId = (await stripe.subscriptions.retrieve(subscriptionId)).items.data[0]!.id;
    const updated = await stripe.subscriptions.update(subscriptionId, { items: [{ id: itemId, quantity: 5 }], proration_behavior: 'create_prorations' });
    expect(updated.items.data[0]!.quantity).toBe(5);
    expect(fake.subscription(subscriptionId)?.items.data[0]?.quantity).toBe(5);
    await fake.settled();
    expect(types()).toEqual(['customer.subscription.updated']);
    const event = receiver.received[0]!.event as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(event.data.object.items.data[0]!.quantity).toBe(5);
    expect(event.data.previous_attributes?.items?.data[0]?.quantity).toBe(3);

    const update = fake.calls.find((c) => c.method === 'POST' && c.path === `/v1/subscriptions/${subscriptionId}`);
    expect(update?.params).toEqual({ items: [{ id: itemId, quantity: '5' }], proration_behavior: 'create_prorations' });
  });

  it('serves the billing portal, whose Cancel plan sets cancel_at_period_end and notifies', async () => {
    const { customer, subscriptionId } = await subscribedCustomer();
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://acme.localhost:3000/billing' });
    expect(portal).toMatchObject({ object: 'billing_portal.session', customer: customer.id, return_url: 'http://acme.localhost:3000/billing', url: `${fake.url}/portal/${portal.id}` });
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('Fake Stripe Billing Portal');
    expect(html).toContain('Return to Lectern');
    expect(html).toContain('Cancel plan');

    receiver.received.length = 0;
    const res = await fetch(`${portal.url}/cancel`, { method: 'POST', body: new URLSearchParams({ subscription: subscriptionId }), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
    expect(types()).toEqual(['customer.subscription.updated']);
  });

  it('records calls, and answers an endpoint it does not serve with a 404 the SDK throws', async () => {
    await stripe.customers.create({ name: 'Recorded', metadata: { tenant_id: 't9' } });
    expect(fake.calls).toEqual([{ method: 'POST', path: '/v1/customers', params: { name: 'Recorded', metadata: { tenant_id: 't9' } } }]);

    const attempt = stripe.coupons.list({ limit: 3 });
    await expect(attempt).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 404 });
    expect(fake.calls.at(-1)).toEqual({ method: 'GET', path: '/v1/coupons', params: { limit: '3' } });
  });

  it('still completes checkout when the webhook endpoint is down, and records the failure', async () => {
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', customer: customer.id, line_items: [{ price: 'price_team', quantity: 1 }], success_url: 'http://x.test/ok?s={CHECKOUT_SESSION_ID}' });
    fake.webhookUrl = 'http://127.0.0.1:1/api/stripe/webhook';
    const res = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    expect(res.headers.get('location')).toBe(`http://x.test/ok?s=${session.id}`);
    expect(fake.deliveries).toHaveLength(3);
    expect(fake.deliveries.every((d) => d.status === null && d.error)).toBe(true);
  });

  it('builds, signs and delivers events for tests that drive webhooks themselves', async () => {
    const customer = fake.createCustomer({ metadata: { tenant_id: 't1' } });
    const sub = fake.createSubscription({ customer: customer.id, price: 'price_team', quantity: 10 });
    fake.setSubscription(sub.id, { status: 'past_due', quantity: 11 });
    expect(fake.subscription(sub.id)).toMatchObject({ status: 'past_due', items: { data: [{ quantity: 11 }] } });

    const event = fake.event('customer.subscription.deleted', fake.subscription(sub.id), { id: 'evt_fixed' });
    const payload = JSON.stringify(event);
    expect(stripe.webhooks.constructEvent(payload, fake.signature(payload), secret, 300).id).toBe('evt_fixed');
    expect(() => stripe.webhooks.constructEvent(payload, fake.signature(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), secret, 300)).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const result = await fake.deliver('customer.subscription.deleted', fake.subscription(sub.id));
    expect(result.status).toBe(200);
    expect(types()).toEqual(['customer.subscription.deleted']);
  });
});
