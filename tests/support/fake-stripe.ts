import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the Stripe API, hosted checkout and billing portal, for tests and local
 * development: the real SDK talks to it through STRIPE_API_BASE, and it sends signed webhooks
 * to Lectern the way Stripe does. State lives in memory and dies with the process.
 */

export type FakeStripe = {
  url: string;
  port: number; // base URL http://127.0.0.1:<port>
  apiBase: string; // same as url; goes into STRIPE_API_BASE
  calls: { method: string; path: string; params: Record<string, unknown> }[];
  deliveries: { eventId: string; type: string; status: number | null; error?: string }[];
  webhookUrl: string | null; // settable
  createPrice(p: { id?: string; unitAmount: number; currency?: string; nickname?: string }): Stripe.Price;
  createCustomer(p?: { id?: string; metadata?: Record<string, string> }): Stripe.Customer;
  createSubscription(p: { customer: string; price: string; quantity: number; status?: Stripe.Subscription.Status; metadata?: Record<string, string> }): Stripe.Subscription;
  /** Change a subscription in place, without a webhook (deliver one yourself if the test needs it). */
  setSubscription(id: string, patch: { status?: Stripe.Subscription.Status; quantity?: number; price?: string; cancelAtPeriodEnd?: boolean }): Stripe.Subscription;
  subscription(id: string): Stripe.Subscription | undefined;
  session(id: string): Stripe.Checkout.Session | undefined;
  /** Build a signed-or-not event without sending it, for tests that post it themselves. */
  event(type: string, object: unknown, opts?: { id?: string; created?: number }): Stripe.Event;
  signature(payload: string, opts?: { timestamp?: number; secret?: string }): string;
  /** Build, sign and POST an event to webhookUrl; returns the HTTP status and body. */
  deliver(type: string, object: unknown, opts?: { id?: string }): Promise<{ status: number; body: string }>;
  /** Complete a checkout session as the Pay button does (same webhooks), without a browser. */
  pay(sessionId: string): Promise<void>;
  /**
   * Wait for webhooks still being sent after an API call answered (subscription update/cancel):
   * like Stripe, the fake answers first and delivers afterwards.
   */
  settled(): Promise<void>;
  reset(): void; // clear calls and deliveries only
  close(): Promise<void>;
};

export type FakeStripeOptions = {
  port?: number;
  webhookSecret: string;
  webhookUrl?: string | null;
  /** One line per API call and webhook delivery (the dev runner prints them). */
  log?: (line: string) => void;
};

// ---------------------------------------------------------------------------------------------
// Form decoding: the SDK sends `a[b][0][c]=v` pairs, in bodies and in GET query strings alike.

export type Param = string | Param[] | Params;
export type Params = { [key: string]: Param };

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Decode Stripe's bracket-notation form encoding into nested objects; numeric indices make arrays. */
export function parseStripeParams(encoded: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const head = key.match(/^[^[]+/)?.[0] ?? key;
    const path = [head, ...Array.from(key.slice(head.length).matchAll(/\[([^\]]*)\]/g), (m) => m[1] ?? '')];
    if (path.some((seg) => UNSAFE_KEYS.has(seg))) continue;
    let node = root;
    path.forEach((seg, i) => {
      // `expand[]=x` appends: give it the next free index.
      const slot = seg === '' ? String(Object.keys(node).length) : seg;
      if (i === path.length - 1) {
        node[slot] = value;
        return;
      }
      const child = node[slot];
      if (child === undefined || typeof child === 'string' || Array.isArray(child)) node[slot] = {};
      node = node[slot] as Params;
    });
  }
  return arrayify(root) as Params;
}

function arrayify(value: Param): Param {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arrayify(value[k]!)] as const);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

const str = (v: Param | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: Param | undefined): Params => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: Param | undefined): Param[] => (Array.isArray(v) ? v : []);
const bool = (v: Param | undefined): boolean | undefined => (v === 'true' ? true : v === 'false' ? false : undefined);
const strings = (v: Param | undefined): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** Metadata as sent: `metadata[k]=v`; an empty value means "unset this key" on update. */
function metadataParam(v: Param | undefined): Record<string, string> {
  const source: Record<string, Param> = Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : obj(v);
  return Object.fromEntries(Object.entries(source).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function int(v: Param | undefined, param: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v) || Number(v) < min) throw new ApiError(400, `Invalid integer: ${String(v)}`, { param, code: 'parameter_invalid_integer' });
  return Number(v);
}

// ---------------------------------------------------------------------------------------------

/** A Stripe-shaped API error; the SDK turns 400/404 `invalid_request_error`s into StripeInvalidRequestError. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

const missing = (what: string, id: string, param?: string) => new ApiError(param ? 400 : 404, `No such ${what}: '${id}'`, { code: 'resource_missing', param });

type Reply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'html'; status: number; html: string }
  | { kind: 'redirect'; location: string };

type Route = { method: string; pattern: RegExp; handle: (m: string[], params: Params) => Reply | Promise<Reply> };

type LineItem = { price: Stripe.Price; quantity: number };

type Checkout = { session: Stripe.Checkout.Session; items: LineItem[]; subscriptionMetadata: Record<string, string>; paymentIntentMetadata: Record<string, string> };

const API_VERSION = '2026-10-28.endive';
const PERIOD_SECONDS = 30 * 24 * 60 * 60;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const newId = (prefix: string) => `${prefix}_${Array.from(randomBytes(16), (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** Stripe's types list every field of the real objects; the fake fills in the ones worth having. */
const stripeObject = <T>(fields: Partial<T>): T => fields as T;

export async function startFakeStripe(opts: FakeStripeOptions): Promise<FakeStripe> {
  const webhooks = new Stripe('sk_test_fake').webhooks;
  const log = opts.log ?? (() => {});

  const products = new Map<string, Stripe.Product>();
  const prices = new Map<string, Stripe.Price>();
  const customers = new Map<string, Stripe.Customer>();
  const checkouts = new Map<string, Checkout>();
  const subscriptions = new Map<string, Stripe.Subscription>();
  const invoices = new Map<string, Stripe.Invoice>();
  const portals = new Map<string, Stripe.BillingPortal.Session>();
  const pending = new Set<Promise<unknown>>();
  let invoiceNumber = 0;

  const server = http.createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      // A bug in the fake, not a Stripe answer: say so loudly (the SDK will retry a 500, then throw).
      const message = e instanceof Error ? e.stack ?? e.message : String(e);
      log(`fake-stripe internal error: ${message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: `fake-stripe: ${message}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  // --- objects -------------------------------------------------------------------------------

  function productFor(name: string): string {
    const id = newId('prod');
    products.set(id, stripeObject<Stripe.Product>({ id, object: 'product', active: true, created: now(), description: null, images: [], livemode: false, metadata: {}, name, updated: now(), url: null }));
    return id;
  }

  function addPrice(p: { id?: string; unitAmount: number; currency?: string; nickname?: string | null; productName?: string; recurring: boolean }): Stripe.Price {
    const id = p.id ?? newId('price');
    const price = stripeObject<Stripe.Price>({
      id,
      object: 'price',
      active: p.recurring,
      billing_scheme: 'per_unit',
      created: now(),
      currency: p.currency ?? 'usd',
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: p.nickname ?? null,
      product: productFor(p.productName ?? p.nickname ?? id),
      recurring: p.recurring ? { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: p.recurring ? 'recurring' : 'one_time',
      unit_amount: p.unitAmount,
    });
    prices.set(id, price);
    return price;
  }

  function addCustomer(p: { id?: string; name?: string | null; email?: string | null; metadata?: Record<string, string> }): Stripe.Customer {
    const id = p.id ?? newId('cus');
    const customer = stripeObject<Stripe.Customer>({
      id,
      object: 'customer',
      balance: 0,
      created: now(),
      default_source: null,
      description: null,
      email: p.email ?? null,
      livemode: false,
      metadata: p.metadata ?? {},
      name: p.name ?? null,
      shipping: null,
    });
    customers.set(id, customer);
    return customer;
  }

  function subscriptionItem(subscription: string, price: Stripe.Price, quantity: number, start: number): Stripe.SubscriptionItem {
    return stripeObject<Stripe.SubscriptionItem>({
      id: newId('si'),
      object: 'subscription_item',
      created: start,
      current_period_start: start,
      current_period_end: start + PERIOD_SECONDS,
      discounts: [],
      metadata: {},
      price: clone(price),
      quantity,
      subscription,
      tax_rates: [],
    });
  }

  /** A subscription and its first invoice (paid unless the subscription is not in good standing). */
  function addSubscription(p: { customer: string; items: LineItem[]; status: Stripe.Subscription.Status; metadata: Record<string, string> }): Stripe.Subscription {
    const id = newId('sub');
    const start = now();
    const subscription = stripeObject<Stripe.Subscription>({
      id,
      object: 'subscription',
      application: null,
      billing_cycle_anchor: start,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      collection_method: 'charge_automatically',
      created: start,
      currency: p.items[0]?.price.currency ?? 'usd',
      customer: p.customer,
      default_payment_method: null,
      description: null,
      discounts: [],
      ended_at: null,
      items: { object: 'list', data: p.items.map((i) => subscriptionItem(id, i.price, i.quantity, start)), has_more: false, url: `/v1/subscription_items?subscription=${id}` },
      latest_invoice: null,
      livemode: false,
      metadata: p.metadata,
      pause_collection: null,
      schedule: null,
      start_date: start,
      status: p.status,
      trial_end: null,
      trial_start: null,
    });
    subscriptions.set(id, subscription);
    const paid = p.status === 'active' || p.status === 'trialing';
    subscription.latest_invoice = addInvoice(subscription, paid).id;
    return subscription;
  }

  function addInvoice(sub: Stripe.Subscription, paid: boolean): Stripe.Invoice {
    const id = newId('in');
    const created = now();
    const first = sub.items.data[0];
    const lines = sub.items.data.map((item) => {
      const amount = (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
      return stripeObject<Stripe.InvoiceLineItem>({ id: newId('il'), object: 'line_item', amount, currency: item.price.currency, description: `${item.quantity ?? 1} × ${productName(item.price)}`, quantity: item.quantity ?? 1, period: { start: item.current_period_start, end: item.current_period_end } });
    });
    const total = lines.reduce((sum, l) => sum + l.amount, 0);
    const invoice = stripeObject<Stripe.Invoice>({
      id,
      object: 'invoice',
      amount_due: total,
      amount_paid: paid ? total : 0,
      amount_remaining: paid ? 0 : total,
      attempt_count: 1,
      attempted: true,
      billing_reason: 'subscription_create',
      collection_method: 'charge_automatically',
      created,
      currency: sub.currency,
      customer: sub.customer,
      description: null,
      hosted_invoice_url: `${base}/invoice/${id}`,
      invoice_pdf: `${base}/invoice/${id}/pdf`,
      lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
      livemode: false,
      metadata: {},
      number: `FAKE-${String(++invoiceNumber).padStart(4, '0')}`,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id } },
      period_start: first?.current_period_start ?? created,
      period_end: first?.current_period_end ?? created,
      status: paid ? 'paid' : 'open',
      status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: paid ? created : null, voided_at: null },
      subtotal: total,
      total,
    });
    invoices.set(id, invoice);
    return invoice;
  }

  function productName(price: Stripe.Price): string {
    const product = typeof price.product === 'string' ? products.get(price.product) : null;
    return product?.name ?? price.nickname ?? price.id;
  }

  const money = (amount: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);

  function requireSubscription(id: string): Stripe.Subscription {
    const sub = subscriptions.get(id);
    if (!sub) throw missing('subscription', id);
    return sub;
  }

  function setCancelAtPeriodEnd(sub: Stripe.Subscription, cancel: boolean) {
    sub.cancel_at_period_end = cancel;
    sub.cancel_at = cancel ? (sub.items.data[0]?.current_period_end ?? null) : null;
    sub.canceled_at = cancel ? now() : null;
  }

  /** The top-level fields that changed, as Stripe reports them in `data.previous_attributes`. */
  function previousAttributes(before: Stripe.Subscription, after: Stripe.Subscription): Record<string, unknown> {
    const b = before as unknown as Record<string, unknown>;
    const a = after as unknown as Record<string, unknown>;
    return Object.fromEntries(Object.keys(b).filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => [k, b[k]]));
  }

  // --- webhooks ------------------------------------------------------------------------------

  function buildEvent(type: string, object: unknown, o: { id?: string; created?: number; previous?: Record<string, unknown> } = {}): Stripe.Event {
    const data: Record<string, unknown> = { object: clone(object) };
    if (o.previous) data.previous_attributes = clone(o.previous);
    const event = { id: o.id ?? newId('evt'), object: 'event', api_version: API_VERSION, created: o.created ?? now(), data, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
    return event as unknown as Stripe.Event;
  }

  const sign = (payload: string, o: { timestamp?: number; secret?: string } = {}) => webhooks.generateTestHeaderString({ payload, secret: o.secret ?? opts.webhookSecret, timestamp: o.timestamp });

  /** POST a signed event; throws on a connection failure. Records the outcome either way. */
  async function post(event: Stripe.Event): Promise<{ status: number; body: string }> {
    const record = (status: number | null, error?: string) => {
      fake.deliveries.push({ eventId: event.id, type: event.type, status, ...(error ? { error } : {}) });
      log(`webhook ${event.type} ${event.id} → ${status ?? 'failed'}${error ? ` (${error})` : ''}`);
    };
    if (!fake.webhookUrl) {
      record(null, 'no webhook URL configured');
      throw new Error('fake-stripe: no webhook URL configured');
    }
    const payload = JSON.stringify(event, null, 2);
    try {
      const result = await sendHttp(fake.webhookUrl, payload, sign(payload));
      const ok = result.status >= 200 && result.status < 300;
      record(result.status, ok ? undefined : `HTTP ${result.status}: ${result.body.slice(0, 300)}`);
      return result;
    } catch (e) {
      record(null, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Send an event and carry on whatever happens (the outcome is in `deliveries`), as Stripe does. */
  async function emit(type: string, object: unknown, previous?: Record<string, unknown>): Promise<void> {
    await post(buildEvent(type, object, { previous })).catch(() => {});
  }

  /** Emit after the API response has gone out, so a caller holding a lock never waits on its own webhook. */
  function emitLater(type: string, object: unknown, previous?: Record<string, unknown>) {
    const snapshot = clone(object);
    const p = new Promise((resolve) => setImmediate(resolve)).then(() => emit(type, snapshot, previous));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  // --- checkout ------------------------------------------------------------------------------

  function createCheckout(p: Params): Stripe.Checkout.Session {
    const mode = str(p.mode);
    if (mode !== 'subscription' && mode !== 'payment') throw new ApiError(400, `Invalid mode: must be one of payment, setup, or subscription`, { param: 'mode' });
    const successUrl = str(p.success_url);
    if (!successUrl) throw new ApiError(400, 'Missing required param: success_url.', { param: 'success_url', code: 'parameter_missing' });
    const customer = str(p.customer) || null;
    if (customer && !customers.has(customer)) throw missing('customer', customer, 'customer');
    const customerEmail = str(p.customer_email) || null;
    if (customer && customerEmail) throw new ApiError(400, 'You may only specify one of these parameters: customer, customer_email.', { param: 'customer_email' });

    const rawItems = list(p.line_items);
    if (rawItems.length === 0) throw new ApiError(400, 'Missing required param: line_items.', { param: 'line_items', code: 'parameter_missing' });
    const items = rawItems.map((raw, i): LineItem => {
      const item = obj(raw);
      const quantity = int(item.quantity, `line_items[${i}][quantity]`, 1) ?? 1;
      const priceId = str(item.price);
      if (priceId) {
        const price = prices.get(priceId);
        if (!price) throw missing('price', priceId, `line_items[${i}][price]`);
        if (mode === 'subscription' && !price.recurring) throw new ApiError(400, 'You must provide at least one recurring price in `subscription` mode when using prices.', { param: `line_items[${i}][price]` });
        if (mode === 'payment' && price.recurring) throw new ApiError(400, 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', { param: `line_items[${i}][price]` });
        return { price, quantity };
      }
      const data = obj(item.price_data);
      if (mode === 'subscription' || Object.keys(data).length === 0) throw new ApiError(400, `Missing required param: line_items[${i}][price].`, { param: `line_items[${i}][price]`, code: 'parameter_missing' });
      const unitAmount = int(data.unit_amount, `line_items[${i}][price_data][unit_amount]`);
      const name = str(obj(data.product_data).name);
      const currency = str(data.currency);
      if (unitAmount === undefined || !name || !currency) throw new ApiError(400, `line_items[${i}][price_data] needs currency, unit_amount and product_data[name].`, { param: `line_items[${i}][price_data]`, code: 'parameter_missing' });
      return { price: addPrice({ unitAmount, currency, productName: name, recurring: false }), quantity };
    });

    const id = newId('cs_test');
    const total = items.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * i.quantity, 0);
    const created = now();
    const session = stripeObject<Stripe.Checkout.Session>({
      id,
      object: 'checkout.session',
      allow_promotion_codes: bool(p.allow_promotion_codes) ?? null,
      amount_subtotal: total,
      amount_total: total,
      cancel_url: str(p.cancel_url) ?? null,
      client_reference_id: str(p.client_reference_id) ?? null,
      created,
      currency: items[0]!.price.currency,
      customer,
      customer_details: null,
      customer_email: customerEmail,
      expires_at: created + 24 * 60 * 60,
      invoice: null,
      livemode: false,
      metadata: metadataParam(p.metadata),
      mode,
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: successUrl,
      ui_mode: 'hosted',
      url: `${base}/checkout/${id}`,
    });
    checkouts.set(id, {
      session,
      items,
      subscriptionMetadata: metadataParam(obj(p.subscription_data).metadata),
      paymentIntentMetadata: metadataParam(obj(p.payment_intent_data).metadata),
    });
    return session;
  }

  function lineItems(checkout: Checkout) {
    const data = checkout.items.map((i) => {
      const amount = (i.price.unit_amount ?? 0) * i.quantity;
      return { id: newId('li'), object: 'item', amount_discount: 0, amount_subtotal: amount, amount_tax: 0, amount_total: amount, currency: i.price.currency, description: productName(i.price), price: clone(i.price), quantity: i.quantity };
    });
    return { object: 'list', data, has_more: false, url: `/v1/checkout/sessions/${checkout.session.id}/line_items` };
  }

  /** What paying does: complete the session, create what it bought, then send the webhooks in Stripe's order. */
  async function pay(sessionId: string): Promise<Stripe.Checkout.Session> {
    const checkout = checkouts.get(sessionId);
    if (!checkout) throw new Error(`fake-stripe: no checkout session ${sessionId}`);
    const { session } = checkout;
    if (session.status !== 'open') return session; // a second click on Pay changes nothing

    let customer = typeof session.customer === 'string' ? customers.get(session.customer) : undefined;
    if (!customer && session.mode === 'subscription') customer = addCustomer({ email: session.customer_email });
    session.customer = customer?.id ?? null;
    session.customer_details = { address: null, business_name: null, email: session.customer_email ?? customer?.email ?? 'buyer@example.test', individual_name: null, name: customer?.name ?? null, phone: null, tax_exempt: 'none', tax_ids: [] };
    session.status = 'complete';
    session.payment_status = 'paid';

    if (session.mode === 'subscription' && customer) {
      const sub = addSubscription({ customer: customer.id, items: checkout.items, status: 'active', metadata: checkout.subscriptionMetadata });
      const invoice = invoices.get(sub.latest_invoice as string)!;
      session.subscription = sub.id;
      session.invoice = invoice.id;
      await emit('customer.subscription.created', sub);
      await emit('invoice.paid', invoice);
    } else {
      session.payment_intent = newId('pi');
    }
    await emit('checkout.session.completed', session);
    return session;
  }

  // --- response shaping ----------------------------------------------------------------------

  function resolveId(id: string): unknown {
    const stores: [string, Map<string, unknown>][] = [['cus_', customers], ['sub_', subscriptions], ['in_', invoices], ['prod_', products], ['price_', prices]];
    for (const [prefix, store] of stores) if (id.startsWith(prefix)) return store.get(id) ?? id;
    return checkouts.get(id)?.session ?? id;
  }

  /** Apply `expand[]` paths (e.g. `subscription`, `data.latest_invoice`, `line_items`) to a response copy. */
  function expand(value: unknown, paths: string[]): unknown {
    const out = clone(value);
    const walk = (node: unknown, segs: string[]): void => {
      if (!node || typeof node !== 'object' || segs.length === 0) return;
      if (Array.isArray(node)) return node.forEach((n) => walk(n, segs));
      const record = node as Record<string, unknown>;
      const [head, ...rest] = segs as [string, ...string[]];
      let child = record[head];
      if (head === 'line_items' && record.object === 'checkout.session') {
        const checkout = checkouts.get(String(record.id));
        if (checkout) child = record[head] = lineItems(checkout);
      } else if (typeof child === 'string') {
        child = record[head] = clone(resolveId(child));
      }
      walk(child, rest);
    };
    for (const path of paths) walk(out, path.split('.'));
    return out;
  }

  const json = (body: unknown, params: Params, status = 200): Reply => ({ kind: 'json', status, body: expand(body, strings(params.expand)) });
  const page = (title: string, body: string, status = 200): Reply => ({ kind: 'html', status, html: htmlPage(title, body) });

  function listReply<T extends { created: number }>(url: string, items: T[], params: Params): Reply {
    const limit = Math.min(int(params.limit, 'limit', 1) ?? 10, 100);
    // Newest first; Map order breaks ties between objects made in the same second.
    const sorted = items.map((item, i) => ({ item, i })).sort((a, b) => b.item.created - a.item.created || b.i - a.i).map((x) => x.item);
    return json({ object: 'list', data: sorted.slice(0, limit), has_more: sorted.length > limit, url }, params);
  }

  // --- routes --------------------------------------------------------------------------------

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/customers$/,
      handle: (_m, p) => json(addCustomer({ name: str(p.name), email: str(p.email), metadata: metadataParam(p.metadata) }), p),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/customers\/([^/]+)$/,
      handle: ([id], p) => json(customers.get(id!) ?? throwError(missing('customer', id!)), p),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/customers\/([^/]+)$/,
      handle: ([id], p) => {
        const customer = customers.get(id!) ?? throwError(missing('customer', id!));
        if (p.name !== undefined) customer.name = str(p.name) || null;
        if (p.email !== undefined) customer.email = str(p.email) || null;
        customer.metadata = mergeMetadata(customer.metadata, p.metadata);
        return json(customer, p);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/prices\/([^/]+)$/,
      handle: ([id], p) => json(prices.get(id!) ?? throwError(missing('price', id!)), p),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/products\/([^/]+)$/,
      handle: ([id], p) => json(products.get(id!) ?? throwError(missing('product', id!)), p),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions$/,
      handle: (_m, p) => json(createCheckout(p), p),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
      handle: ([id], p) => json(checkouts.get(id!)?.session ?? throwError(missing('checkout.session', id!)), p),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
      handle: ([id], p) => json(lineItems(checkouts.get(id!) ?? throwError(missing('checkout.session', id!))), p),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/billing_portal\/sessions$/,
      handle: (_m, p) => {
        const customer = str(p.customer);
        if (!customer) throw new ApiError(400, 'Missing required param: customer.', { param: 'customer', code: 'parameter_missing' });
        if (!customers.has(customer)) throw missing('customer', customer, 'customer');
        const id = newId('bps');
        const session = stripeObject<Stripe.BillingPortal.Session>({ id, object: 'billing_portal.session', configuration: 'bpc_fake', created: now(), customer, flow: null, livemode: false, locale: null, on_behalf_of: null, return_url: str(p.return_url) ?? null, url: `${base}/portal/${id}` });
        portals.set(id, session);
        return json(session, p);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/subscriptions$/,
      handle: (_m, p) => {
        const status = str(p.status);
        const matches = [...subscriptions.values()].filter(
          (s) =>
            (!p.customer || s.customer === str(p.customer)) &&
            (!p.price || s.items.data.some((i) => i.price.id === str(p.price))) &&
            (status === 'all' || (status === 'ended' ? ['canceled', 'incomplete_expired'].includes(s.status) : status ? s.status === status : s.status !== 'canceled')),
        );
        return listReply('/v1/subscriptions', matches, p);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id], p) => json(requireSubscription(id!), p),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id], p) => {
        const sub = requireSubscription(id!);
        if (sub.status === 'canceled') throw new ApiError(400, 'A canceled subscription can only update its cancellation_details and metadata.');
        const before = clone(sub);
        list(p.items).forEach((raw, i) => {
          const change = obj(raw);
          const priceId = str(change.price);
          const price = priceId ? (prices.get(priceId) ?? throwError(missing('price', priceId, `items[${i}][price]`))) : undefined;
          const quantity = int(change.quantity, `items[${i}][quantity]`, 0);
          const itemId = str(change.id);
          if (!itemId) {
            if (!price) throw new ApiError(400, `Missing required param: items[${i}][price].`, { param: `items[${i}][price]`, code: 'parameter_missing' });
            const start = sub.items.data[0]?.current_period_start ?? now();
            sub.items.data.push(subscriptionItem(sub.id, price, quantity ?? 1, start));
            return;
          }
          const item = sub.items.data.find((it) => it.id === itemId) ?? throwError(new ApiError(400, `Invalid subscription_item id: ${itemId}`, { param: `items[${i}][id]`, code: 'resource_missing' }));
          if (bool(change.deleted)) sub.items.data = sub.items.data.filter((it) => it !== item);
          if (price) item.price = clone(price);
          if (quantity !== undefined) item.quantity = quantity;
        });
        const cancel = bool(p.cancel_at_period_end);
        if (cancel !== undefined) setCancelAtPeriodEnd(sub, cancel);
        sub.metadata = mergeMetadata(sub.metadata, p.metadata);
        emitLater('customer.subscription.updated', sub, previousAttributes(before, sub));
        return json(sub, p);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/subscriptions\/([^/]+)$/,
      handle: ([id], p) => {
        const sub = requireSubscription(id!);
        Object.assign(sub, { status: 'canceled', canceled_at: now(), ended_at: now() });
        emitLater('customer.subscription.deleted', sub);
        return json(sub, p);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/invoices$/,
      handle: (_m, p) => {
        const matches = [...invoices.values()].filter(
          (inv) =>
            (!p.customer || inv.customer === str(p.customer)) &&
            (!p.status || inv.status === str(p.status)) &&
            (!p.subscription || inv.parent?.subscription_details?.subscription === str(p.subscription)),
        );
        return listReply('/v1/invoices', matches, p);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/invoices\/([^/]+)$/,
      handle: ([id], p) => json(invoices.get(id!) ?? throwError(missing('invoice', id!)), p),
    },

    // Browser pages: hosted checkout, billing portal, hosted invoice.
    {
      method: 'GET',
      pattern: /^\/checkout\/([^/]+)$/,
      handle: ([id]) => {
        const checkout = checkouts.get(id!);
        return checkout ? checkoutPage(checkout) : page('Fake Stripe Checkout', '<p>This checkout session does not exist.</p>', 404);
      },
    },
    {
      method: 'POST',
      pattern: /^\/checkout\/([^/]+)\/pay$/,
      handle: async ([id]) => {
        if (!checkouts.has(id!)) return page('Fake Stripe Checkout', '<p>This checkout session does not exist.</p>', 404);
        const session = await pay(id!);
        return { kind: 'redirect', location: session.success_url!.replaceAll('{CHECKOUT_SESSION_ID}', session.id) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/portal\/([^/]+)$/,
      handle: ([id]) => {
        const portal = portals.get(id!);
        return portal ? portalPage(portal) : page('Fake Stripe Billing Portal', '<p>This portal session does not exist.</p>', 404);
      },
    },
    {
      method: 'POST',
      pattern: /^\/portal\/([^/]+)\/(cancel|renew)$/,
      handle: async ([id, action], p) => {
        const portal = portals.get(id!);
        const sub = subscriptions.get(str(p.subscription) ?? '');
        if (!portal || !sub || sub.customer !== portal.customer) return page('Fake Stripe Billing Portal', '<p>Unknown portal session or subscription.</p>', 404);
        const before = clone(sub);
        setCancelAtPeriodEnd(sub, action === 'cancel');
        // The customer is looking at the portal, not holding a lock: deliver before showing the result.
        await emit('customer.subscription.updated', sub, previousAttributes(before, sub));
        return { kind: 'redirect', location: `/portal/${portal.id}` };
      },
    },
    {
      method: 'GET',
      pattern: /^\/invoice\/([^/]+?)(?:\/pdf)?$/,
      handle: ([id]) => {
        const invoice = invoices.get(id!);
        return invoice ? invoicePage(invoice) : page('Invoice', '<p>This invoice does not exist.</p>', 404);
      },
    },
  ];

  // --- pages ---------------------------------------------------------------------------------

  function checkoutPage({ session, items }: Checkout): Reply {
    const per = session.mode === 'subscription' ? ' per month' : '';
    const rows = items.map((i) => `<tr><td>${esc(productName(i.price))}</td><td>${i.quantity} × ${money(i.price.unit_amount ?? 0, i.price.currency)}</td><td>${money((i.price.unit_amount ?? 0) * i.quantity, i.price.currency)}</td></tr>`).join('');
    const total = money(session.amount_total ?? 0, session.currency ?? 'usd');
    const action =
      session.status === 'open'
        ? `<form method="post" action="/checkout/${esc(session.id)}/pay"><button type="submit">Pay</button></form>${session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">Cancel</a></p>` : ''}`
        : `<p>This checkout session is complete.</p>`;
    const who = session.customer_email ?? (typeof session.customer === 'string' ? customers.get(session.customer)?.email : null);
    return page(
      'Fake Stripe Checkout',
      `<h1>Fake Stripe Checkout</h1>${who ? `<p>${esc(who)}</p>` : ''}<table><tbody>${rows}</tbody></table><p>Total: <strong>${total}</strong>${per}</p>${action}`,
    );
  }

  function portalPage(portal: Stripe.BillingPortal.Session): Reply {
    const subs = [...subscriptions.values()].filter((s) => s.customer === portal.customer && s.status !== 'canceled');
    const rows = subs.map((s) => {
      const item = s.items.data[0];
      const plan = item ? `${esc(productName(item.price))} — ${item.quantity ?? 1} seats × ${money(item.price.unit_amount ?? 0, item.price.currency)}/month` : 'No items';
      const end = item ? new Date(item.current_period_end * 1000).toISOString().slice(0, 10) : '';
      const form = (action: string, label: string) => `<form method="post" action="/portal/${esc(portal.id)}/${action}"><input type="hidden" name="subscription" value="${esc(s.id)}"><button type="submit">${label}</button></form>`;
      const state = s.cancel_at_period_end ? `<p>Cancels on ${end}</p>${form('renew', 'Renew plan')}` : `<p>${esc(s.status)}, renews on ${end}</p>${form('cancel', 'Cancel plan')}`;
      return `<section><h2>${plan}</h2>${state}</section>`;
    });
    const back = portal.return_url ? `<p><a href="${esc(portal.return_url)}">Return to Lectern</a></p>` : '';
    return page('Fake Stripe Billing Portal', `<h1>Fake Stripe Billing Portal</h1>${rows.join('') || '<p>No active subscriptions.</p>'}${back}`);
  }

  function invoicePage(invoice: Stripe.Invoice): Reply {
    const rows = invoice.lines.data.map((l) => `<tr><td>${esc(l.description ?? '')}</td><td>${money(l.amount, l.currency)}</td></tr>`).join('');
    return page(
      `Invoice ${invoice.number ?? invoice.id}`,
      `<h1>Invoice ${esc(invoice.number ?? invoice.id)}</h1><p>Status: ${esc(invoice.status ?? '')}</p><table><tbody>${rows}</tbody></table><p>Total: <strong>${money(invoice.total, invoice.currency)}</strong></p>`,
    );
  }

  // --- HTTP plumbing -------------------------------------------------------------------------

  async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    // Browsers ask for it on every page; it is not a call anyone made.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = { ...parseStripeParams(url.search.slice(1)), ...parseStripeParams(Buffer.concat(chunks).toString('utf8')) };
    fake.calls.push({ method, path: url.pathname, params });
    log(`${method} ${url.pathname}`);

    let reply: Reply;
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    try {
      if (!route) throw new ApiError(404, `Unrecognized request URL (${method}: ${url.pathname}). The fake Stripe does not serve this endpoint.`);
      reply = await route.handle(url.pathname.match(route.pattern)!.slice(1), params);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      reply = { kind: 'json', status: e.status, body: { error: { type: 'invalid_request_error', message: e.message, ...e.extra } } };
    }

    const headers = { 'request-id': newId('req'), 'stripe-version': API_VERSION };
    if (reply.kind === 'redirect') res.writeHead(303, { ...headers, location: reply.location }).end();
    else if (reply.kind === 'html') res.writeHead(reply.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(reply.html);
    else res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  }

  const fake: FakeStripe = {
    url: base,
    port,
    apiBase: base,
    calls: [],
    deliveries: [],
    webhookUrl: opts.webhookUrl ?? null,
    createPrice: (p) => clone(addPrice({ ...p, recurring: true })),
    createCustomer: (p = {}) => clone(addCustomer(p)),
    createSubscription(p) {
      if (!customers.has(p.customer)) throw new Error(`fake-stripe: no customer ${p.customer}`);
      const price = prices.get(p.price);
      if (!price) throw new Error(`fake-stripe: no price ${p.price}`);
      return clone(addSubscription({ customer: p.customer, items: [{ price, quantity: p.quantity }], status: p.status ?? 'active', metadata: p.metadata ?? {} }));
    },
    setSubscription(id, patch) {
      const sub = subscriptions.get(id);
      if (!sub) throw new Error(`fake-stripe: no subscription ${id}`);
      const item = sub.items.data[0]!;
      if (patch.status) sub.status = patch.status;
      if (patch.quantity !== undefined) item.quantity = patch.quantity;
      if (patch.price) item.price = clone(prices.get(patch.price) ?? throwError(new Error(`fake-stripe: no price ${patch.price}`)));
      if (patch.cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(sub, patch.cancelAtPeriodEnd);
      return clone(sub);
    },
    subscription: (id) => optionalClone(subscriptions.get(id)),
    session: (id) => optionalClone(checkouts.get(id)?.session),
    event: (type, object, o) => buildEvent(type, object, o),
    signature: sign,
    deliver: (type, object, o) => post(buildEvent(type, object, o)),
    async pay(sessionId) {
      await pay(sessionId);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    reset() {
      fake.calls.length = 0;
      fake.deliveries.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}

// ---------------------------------------------------------------------------------------------

function throwError(e: Error): never {
  throw e;
}

const optionalClone = <T>(value: T | undefined): T | undefined => (value === undefined ? undefined : clone(value));

function mergeMetadata(current: Stripe.Metadata, update: Param | undefined): Stripe.Metadata {
  if (update === undefined) return current;
  if (update === '') return {}; // `metadata=` clears it all
  const merged = { ...current, ...metadataParam(update) };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const htmlPage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}td{padding:.25rem .75rem .25rem 0}button{font-size:1rem;padding:.5rem 1.5rem}</style></head><body>${body}</body></html>`;

/** POST to the webhook URL by connecting to loopback with the URL's Host: Node cannot resolve `*.localhost`. */
function sendHttp(target: string, payload: string, signature: string): Promise<{ status: number; body: string }> {
  const url = new URL(target);
  if (url.protocol !== 'http:') return Promise.reject(new Error(`fake-stripe delivers to http:// URLs only, not ${url.protocol}`));
  const loopback = url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: loopback ? '127.0.0.1' : url.hostname,
        port: url.port || 80,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        timeout: 60_000, // a dev server may compile the route on first hit
        headers: { host: url.host, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook delivery timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}
