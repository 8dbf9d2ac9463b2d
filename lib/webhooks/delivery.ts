import { and, arrayContains, asc, eq, inArray, isNull, lte, sql, lt } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import type { JobContext } from '@/lib/jobs/registry';
import { logger } from '@/lib/log';
import { sendMails } from '@/lib/mail/service';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { webhookTypeOf } from './events';
import { decryptSecret } from './signing';
import { postSigned, type AttemptOutcome } from './transport';

/**
 * Retries after a failed attempt, like Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight
 * attempts over about 27.6 hours, then the delivery is `failed`. Due retries are sent by the every-minute
 * cron job, so each waits until the first run at or after its time.
 */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose deliveries have all failed for this long is disabled and its organisation's admins told. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;
export const DISABLED_FAILING = 'failing';
export const DISABLED_BY_ADMIN = 'admin';

/** Due deliveries taken per round, requests in flight at once, and the time after which a run starts no new round. */
const BATCH = 20;
const PARALLEL = 5;
const RUN_BUDGET_MS = 25_000;

/** What is POSTed: stable for a delivery (stored on it), so every retry sends the same bytes. */
export type WebhookBody = { type: string; timestamp: string; data: Record<string, unknown> };

/** A delivery with what it takes to send it. */
export type Sendable = {
  id: string;
  endpointId: string;
  messageId: string;
  payload: unknown;
  attempts: number;
  status: string;
  url: string;
  secretEncrypted: string;
};

/** `retrying`: a failure schedules the next retry (or fails for good after the last). `once`: the outcome is final. */
export type AttemptMode = 'retrying' | 'once';

/** When the next attempt is due after `attempts` failed ones, or null when none is left. */
export function nextAttemptAfter(attempts: number, now: Date): Date | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Send one delivery (no database work: the caller records the outcome). */
export function send(tenantId: string, d: Sendable): Promise<AttemptOutcome> {
  let secret: string;
  try {
    secret = decryptSecret(d.secretEncrypted, tenantId, d.endpointId);
  } catch {
    // AUTH_SECRET changed since the endpoint was made: nothing can be signed until the secret is rotated.
    return Promise.resolve({ ok: false, statusCode: null, error: 'the signing secret cannot be read (was AUTH_SECRET changed?): rotate the secret', durationMs: 0 });
  }
  return postSigned({ url: d.url, secret, msgId: d.messageId, body: JSON.stringify(d.payload) });
}

/**
 * Record an attempt: the attempt row, the delivery's new state, and the endpoint's health — a success clears
 * `failing_since`; a failure sets it if unset, and once it is DISABLE_AFTER_MS old the endpoint is disabled
 * and the organisation's admins and owners are emailed (once: only the update that flips `enabled` mails).
 */
export async function recordAttempt(tx: Tx, tenantId: string, d: Sendable, outcome: AttemptOutcome, mode: AttemptMode, now: Date): Promise<void> {
  const deliveries = schema.webhookDeliveries;
  const endpoints = schema.webhookEndpoints;
  await tx.insert(schema.webhookAttempts).values({ tenantId, deliveryId: d.id, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs, createdAt: now });
  const attempts = d.attempts + 1;
  const common = { attempts, lastStatusCode: outcome.statusCode, lastError: outcome.error, lastAttemptAt: now };
  if (outcome.ok) {
    await tx.update(deliveries).set({ ...common, status: 'delivered', deliveredAt: now, nextAttemptAt: null }).where(and(eq(deliveries.tenantId, tenantId), eq(deliveries.id, d.id)));
    await tx
      .update(endpoints)
      .set({ failingSince: null })
      .where(and(eq(endpoints.tenantId, tenantId), eq(endpoints.id, d.endpointId), sql`${endpoints.failingSince} is not null`));
    return;
  }
  const next = mode === 'retrying' ? nextAttemptAfter(attempts, now) : null;
  await tx
    .update(deliveries)
    .set({ ...common, status: next ? 'pending' : 'failed', nextAttemptAt: next })
    .where(and(eq(deliveries.tenantId, tenantId), eq(deliveries.id, d.id)));
  const [endpoint] = await tx
    .update(endpoints)
    .set({ failingSince: sql`coalesce(${endpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(endpoints.tenantId, tenantId), eq(endpoints.id, d.endpointId)))
    .returning({ failingSince: endpoints.failingSince, enabled: endpoints.enabled });
  if (endpoint?.enabled && endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= DISABLE_AFTER_MS) {
    await disableFailingEndpoint(tx, tenantId, d.endpointId, endpoint.failingSince, outcome.error, now);
  }
}

async function disableFailingEndpoint(tx: Tx, tenantId: string, endpointId: string, failingSince: Date, lastError: string | null, now: Date): Promise<void> {
  const endpoints = schema.webhookEndpoints;
  const [disabled] = await tx
    .update(endpoints)
    .set({ enabled: false, disabledReason: DISABLED_FAILING, updatedAt: now })
    .where(and(eq(endpoints.tenantId, tenantId), eq(endpoints.id, endpointId), eq(endpoints.enabled, true)))
    .returning({ url: endpoints.url });
  if (!disabled) return; // someone else disabled it first, and mailed
  await recordAudit(tx, { tenant: { id: tenantId }, user: null }, {
    action: 'webhook.endpoint_disabled',
    targetType: 'webhook_endpoint',
    targetId: endpointId,
    targetLabel: disabled.url,
    after: { reason: DISABLED_FAILING, failingSince: failingSince.toISOString() },
  });
  const [tenant] = await tx.select({ name: schema.tenants.name, slug: schema.tenants.slug }).from(schema.tenants).where(eq(schema.tenants.id, tenantId));
  const admins = await tx
    .select({ email: schema.users.email })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(and(eq(schema.memberships.tenantId, tenantId), inArray(schema.memberships.role, ['owner', 'admin']), isNull(schema.memberships.deactivatedAt)))
    .orderBy(asc(schema.users.email));
  const link = `${tenantOrigin(tenant!.slug)}/admin/webhooks/${endpointId}`;
  const text = [
    `Lectern has disabled the webhook endpoint ${disabled.url} of ${tenant!.name}: every delivery to it has failed since ${failingSince.toISOString().slice(0, 16).replace('T', ' ')} UTC (5 days).`,
    ...(lastError ? ['', `Last error: ${lastError.slice(0, 300)}`] : []),
    '',
    'Nothing is sent to it while it is disabled. Fix the endpoint, send it a test event, then enable it again:',
    link,
    '',
    'Events still being retried when it was disabled are sent once it is enabled again; failed ones can be replayed from its delivery log.',
  ].join('\n');
  await sendMails(
    tx,
    tenantId,
    admins.map((a) => ({ to: a.email, subject: `Webhook endpoint disabled: ${disabled.url}`, text })),
  );
  logger.warn({ tenantId, endpointId }, 'webhook endpoint disabled after 5 days of failures');
}

/** Send deliveries and record their outcomes (requests in parallel, writes in order on the one transaction). */
export async function attemptDeliveries(tx: Tx, tenantId: string, rows: readonly Sendable[], mode: (d: Sendable) => AttemptMode, now: Date): Promise<AttemptOutcome[]> {
  const outcomes = await mapLimit(rows, PARALLEL, (d) => send(tenantId, d));
  for (const [i, d] of rows.entries()) await recordAttempt(tx, tenantId, d, outcomes[i]!, mode(d), now);
  return outcomes;
}

const sendableColumns = {
  id: schema.webhookDeliveries.id,
  endpointId: schema.webhookDeliveries.endpointId,
  messageId: schema.webhookDeliveries.messageId,
  payload: schema.webhookDeliveries.payload,
  attempts: schema.webhookDeliveries.attempts,
  status: schema.webhookDeliveries.status,
  url: schema.webhookEndpoints.url,
  secretEncrypted: schema.webhookEndpoints.secretEncrypted,
};

/**
 * Fan-out (the job of each public event type): one delivery per enabled endpoint subscribed to the event's
 * type, keyed by (endpoint, outbox event id) so a redelivered event adds none, each attempted at once.
 */
export async function fanOutWebhookEvent({ tenantId, tx, event, log }: Pick<JobContext, 'tenantId' | 'tx' | 'event' | 'log'>, now = new Date()): Promise<number> {
  const type = webhookTypeOf(event.name);
  if (!type) throw new Error(`${event.name} is not a webhook event type`);
  const e = schema.webhookEndpoints;
  const subscribed = await tx
    .select({ id: e.id, url: e.url, secretEncrypted: e.secretEncrypted })
    .from(e)
    .where(and(eq(e.tenantId, tenantId), eq(e.enabled, true), arrayContains(e.eventTypes, [type])));
  if (!subscribed.length) return 0;
  const body: WebhookBody = { type, timestamp: event.createdAt.toISOString(), data: event.payload };
  const inserted = await tx
    .insert(schema.webhookDeliveries)
    .values(subscribed.map((s) => ({ tenantId, endpointId: s.id, messageId: event.id, eventType: type, payload: body, nextAttemptAt: now })))
    .onConflictDoNothing()
    .returning({ id: schema.webhookDeliveries.id, endpointId: schema.webhookDeliveries.endpointId, payload: schema.webhookDeliveries.payload });
  const byEndpoint = new Map(subscribed.map((s) => [s.id, s]));
  const rows: Sendable[] = inserted.map((d) => ({ ...d, messageId: event.id, attempts: 0, status: 'pending', url: byEndpoint.get(d.endpointId)!.url, secretEncrypted: byEndpoint.get(d.endpointId)!.secretEncrypted }));
  const outcomes = await attemptDeliveries(tx, tenantId, rows, () => 'retrying', now);
  log.info({ type, deliveries: rows.length, delivered: outcomes.filter((o) => o.ok).length }, 'webhook fan-out');
  return rows.length;
}

/**
 * The every-minute cron job, per organisation: pending deliveries whose time has come, of enabled endpoints,
 * taken with SKIP LOCKED (runs on several workers share the work), sent and recorded — rounds of 20 until
 * none is due or 25 s have passed (the rest waits for the next minute).
 */
export async function deliverDueWebhooks(tx: Tx, tenantId: string, now = new Date()): Promise<{ attempted: number; delivered: number }> {
  const d = schema.webhookDeliveries;
  const e = schema.webhookEndpoints;
  const started = Date.now();
  let attempted = 0;
  let delivered = 0;
  while (Date.now() - started < RUN_BUDGET_MS) {
    // A row attempted in this run is not due again: its next attempt is at least 5 s after `now`.
    const due = await tx
      .select(sendableColumns)
      .from(d)
      .innerJoin(e, and(eq(e.tenantId, d.tenantId), eq(e.id, d.endpointId)))
      .where(and(eq(d.tenantId, tenantId), eq(d.status, 'pending'), lte(d.nextAttemptAt, now), eq(e.enabled, true)))
      .orderBy(asc(d.nextAttemptAt), asc(d.id))
      .limit(BATCH)
      // The endpoint row too (no key update: new deliveries may still reference it), so deleting or changing
      // an endpoint waits for this batch, and a batch never waits for them: no lock-order deadlock.
      .for('no key update', { of: [d, e], skipLocked: true });
    if (!due.length) break;
    const outcomes = await attemptDeliveries(tx, tenantId, due, () => 'retrying', now);
    attempted += due.length;
    delivered += outcomes.filter((o) => o.ok).length;
  }
  return { attempted, delivered };
}

/** Whether a retry falls due by the end of this minute's slot (the scheduler skips the tick otherwise). */
export async function hasDueDeliveries(tx: Tx, slot: Date): Promise<boolean> {
  const d = schema.webhookDeliveries;
  const [row] = await tx
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, new Date(slot.getTime() + 60_000))))
    .limit(1);
  return !!row;
}

export async function deliverDueWebhooksJob({ tenantId, tx, log }: JobContext): Promise<void> {
  const result = await deliverDueWebhooks(tx, tenantId);
  if (result.attempted) log.info(result, 'webhook retries');
}

/** Delivery log rows (with their attempts) are kept this long after they were created, then swept. */
export const DELIVERY_RETENTION_DAYS = 30;

/** Sweep: finished deliveries older than the retention period, 1,000 at a time (the next pass takes the rest). */
export async function expireWebhookDeliveries(tx: Tx, tenantId: string, now: Date): Promise<number> {
  const d = schema.webhookDeliveries;
  const cutoff = new Date(now.getTime() - DELIVERY_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const old = tx
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.tenantId, tenantId), inArray(d.status, ['delivered', 'failed']), lt(d.createdAt, cutoff)))
    .limit(1000);
  const gone = await tx.delete(d).where(and(eq(d.tenantId, tenantId), inArray(d.id, old))).returning({ id: d.id });
  return gone.length;
}
