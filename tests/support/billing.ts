import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { withTenant } from '@/db/client';
import type { MemberContext, TenantRef } from '@/lib/auth/context';
import { loadEntitlements, type Entitlements } from '@/lib/billing/entitlements';
import { processStripeWebhook, type WebhookOutcome } from '@/lib/billing/webhook';
import { addMember } from './factories';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import type { ownerSql } from './owner';

/**
 * Billing tests: the fake Stripe (tests/support/fake-stripe.ts) with Lectern's two prices, the Stripe
 * variables pointed at it, and a small webhook receiver that hands what the fake delivers to
 * processStripeWebhook, as the route does.
 */

export const WEBHOOK_SECRET = 'whsec_test_secret';
export const PRICE_TEAM = 'price_team';
export const PRICE_BUSINESS = 'price_business';

const STRIPE_ENV = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_TEAM', 'STRIPE_PRICE_BUSINESS', 'STRIPE_API_BASE'] as const;

/** Remember the Stripe variables as they are; the returned function puts them back. */
export function saveStripeEnv(): () => void {
  const saved = Object.fromEntries(STRIPE_ENV.map((name) => [name, process.env[name]]));
  return () => {
    for (const name of STRIPE_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  };
}

/** Unset every Stripe variable (billing not configured). */
export function clearStripeEnv(): void {
  for (const name of STRIPE_ENV) delete process.env[name];
}

/**
 * Start the fake with prices price_team and price_business, and configure Lectern for it. Call at the top
 * of a test file, before anything reads env() (it is parsed once per process).
 */
export async function startBillingFake(): Promise<{ fake: FakeStripe; restoreEnv: () => void }> {
  const restoreEnv = saveStripeEnv();
  const fake = await startFakeStripe({ port: 0, webhookSecret: WEBHOOK_SECRET });
  fake.createPrice({ id: PRICE_TEAM, unitAmount: 800, nickname: 'Team' });
  fake.createPrice({ id: PRICE_BUSINESS, unitAmount: 1500, nickname: 'Business' });
  process.env.STRIPE_SECRET_KEY = 'sk_test_fake';
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  process.env.STRIPE_PRICE_TEAM = PRICE_TEAM;
  process.env.STRIPE_PRICE_BUSINESS = PRICE_BUSINESS;
  process.env.STRIPE_API_BASE = fake.apiBase;
  return { fake, restoreEnv };
}

export type Received = { type: string; id: string; outcome: WebhookOutcome | { status: 500; error: string } };

/** A local endpoint for the fake's deliveries: body and Stripe-Signature go to processStripeWebhook, its status comes back. */
export async function startWebhookReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['stripe-signature'];
      let meta = { type: '?', id: '?' };
      try {
        const parsed = JSON.parse(body) as { type?: string; id?: string };
        meta = { type: parsed.type ?? '?', id: parsed.id ?? '?' };
      } catch {
        // not JSON: the signature check will say so
      }
      processStripeWebhook(body, typeof header === 'string' ? header : null).then(
        (outcome) => {
          received.push({ ...meta, outcome });
          res.writeHead(outcome.status, { 'content-type': 'application/json' }).end(JSON.stringify(outcome));
        },
        (e: unknown) => {
          const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
          received.push({ ...meta, outcome: { status: 500, error } });
          res.writeHead(500, { 'content-type': 'text/plain' }).end(error);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/stripe/webhook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type SignedEvent = { event: Stripe.Event; body: string; header: string };

/** An event as Stripe would POST it: JSON body and a Stripe-Signature header (now, with the configured secret unless told). */
export function signedEvent(fake: FakeStripe, type: string, object: unknown, opts: { id?: string; created?: number; timestamp?: number; secret?: string } = {}): SignedEvent {
  const event = fake.event(type, object, { id: opts.id, created: opts.created });
  const body = JSON.stringify(event);
  return { event, body, header: fake.signature(body, { timestamp: opts.timestamp, secret: opts.secret }) };
}

/** Sign an event and hand it to processStripeWebhook directly. */
export async function sendWebhook(fake: FakeStripe, type: string, object: unknown, opts: { id?: string; created?: number } = {}): Promise<WebhookOutcome & { eventId: string }> {
  const { event, body, header } = signedEvent(fake, type, object, opts);
  return { ...(await processStripeWebhook(body, header)), eventId: event.id };
}

/** The checkout session id at the end of a fake Checkout URL (…/checkout/cs_test_…). */
export function sessionIdFromUrl(url: string): string {
  const m = /\/checkout\/(cs_test_[A-Za-z0-9]+)$/.exec(url);
  if (!m) throw new Error(`not a fake checkout URL: ${url}`);
  return m[1]!;
}

type Sql = ReturnType<typeof ownerSql>;

/** A Stripe customer in the fake, recorded as the organisation's (as startCheckout would leave it). */
export async function linkCustomer(sql: Sql, fake: FakeStripe, tenant: TenantRef): Promise<string> {
  const customer = fake.createCustomer({ metadata: { tenant_id: tenant.id } });
  await sql`update tenants set stripe_customer_id = ${customer.id} where id = ${tenant.id}`;
  return customer.id;
}

/** The organisation's entitlements as the app reads them. */
export function entitlementsOf(tenant: TenantRef): Promise<Entitlements> {
  return withTenant(tenant.id, (tx) => loadEntitlements(tx, tenant.id));
}

/** `n` learners added directly (setup, no seat check). */
export async function addLearners(tenant: TenantRef, n: number): Promise<MemberContext[]> {
  const out: MemberContext[] = [];
  for (let i = 0; i < n; i++) out.push(await addMember(tenant, 'learner'));
  return out;
}

/** Rows of the global stripe_events table for an event id. */
export function stripeEventRows(sql: Sql, eventId: string) {
  return sql<{ id: string; type: string; outcome: string }[]>`select id, type, outcome from stripe_events where id = ${eventId}`;
}

/** How many audit rows of an action an organisation has. */
export async function auditCount(sql: Sql, tenantId: string, action: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where tenant_id = ${tenantId} and action = ${action}`;
  return row!.n;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code?: string; status?: number; params?: Record<string, unknown>; link?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string; status?: number; params?: Record<string, unknown>; link?: string };
  }
  throw new Error('expected a rejection, but the promise resolved');
}
