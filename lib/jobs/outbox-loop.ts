import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { schema, withGlobal, withTenant, type Tx } from '@/db/client';
import type { EventName } from '@/lib/events/outbox';
import { logger } from '@/lib/log';
import type { JobEvent } from './registry';

/** What delivering one outbox row came to: sent, or failed (retried with backoff until maxAttempts). */
export type Delivery = { ok: true } | { ok: false; error: string; maxAttempts: number };

/** Deliver a claimed batch of one tenant's rows, inside the claim transaction (rows stay locked meanwhile). */
export type DeliverBatch = (tx: Tx, tenantId: string, rows: JobEvent[]) => Promise<Map<string, Delivery>>;

export type PassResult = { tenants: number; claimed: number; sent: number; failed: number; gaveUp: number };

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 60 * 60_000;

/** Delay before attempt n+1 after n failed attempts: 10 s, 20 s, 40 s, … capped at an hour, ±20 % jitter. */
export function backoffMs(attempts: number, random = Math.random): number {
  const raw = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/**
 * One pass over the outbox. The outbox is RLS-forced and the app role cannot bypass RLS, so tenants are
 * listed from the global `tenants` table (withGlobal) and each is drained in its own withTenant
 * transaction: due rows are claimed with FOR UPDATE SKIP LOCKED, so several instances can run passes at
 * once without delivering a row twice; a row is marked sent, or rescheduled, in the same transaction.
 * Cost: one indexed probe (outbox_pending_idx) per tenant per pass.
 */
export async function processOutbox(deliver: DeliverBatch, opts: { batchSize?: number; maxBatchesPerTenant?: number; beforeBatch?: () => Promise<void> } = {}): Promise<PassResult> {
  const batchSize = opts.batchSize ?? 20;
  const maxBatches = opts.maxBatchesPerTenant ?? 5;
  const tenants = await withGlobal((tx) => tx.select({ id: schema.tenants.id }).from(schema.tenants).orderBy(asc(schema.tenants.id)));
  const result: PassResult = { tenants: tenants.length, claimed: 0, sent: 0, failed: 0, gaveUp: 0 };
  for (const { id: tenantId } of tenants) {
    for (let i = 0; i < maxBatches; i += 1) {
      await opts.beforeBatch?.();
      const claimed = await withTenant(tenantId, (tx) => drainBatch(tx, tenantId, deliver, batchSize, result));
      if (claimed < batchSize) break; // this tenant is drained; a full batch may have more behind it
    }
  }
  return result;
}

async function drainBatch(tx: Tx, tenantId: string, deliver: DeliverBatch, batchSize: number, result: PassResult): Promise<number> {
  const o = schema.outbox;
  const rows = await tx
    .select({ id: o.id, name: o.name, payload: o.payload, createdAt: o.createdAt, attempts: o.attempts })
    .from(o)
    .where(and(eq(o.tenantId, tenantId), isNull(o.sentAt), lte(o.nextAttemptAt, sql`now()`)))
    .orderBy(asc(o.nextAttemptAt))
    .limit(batchSize)
    .for('update', { skipLocked: true });
  if (!rows.length) return 0;
  result.claimed += rows.length;
  const events: JobEvent[] = rows.map((r) => ({ id: r.id, name: r.name as EventName, payload: (r.payload ?? {}) as Record<string, unknown>, createdAt: r.createdAt }));
  const outcomes = await deliver(tx, tenantId, events);
  // Delivered rows are marked sent in one statement (a graded quiz attempt alone leaves five events behind).
  const delivered = rows.filter((row) => outcomes.get(row.id)?.ok).map((row) => row.id);
  if (delivered.length) {
    await tx.update(o).set({ sentAt: sql`now()`, lastError: null }).where(and(eq(o.tenantId, tenantId), inArray(o.id, delivered)));
    result.sent += delivered.length;
  }
  for (const row of rows) {
    const outcome = outcomes.get(row.id) ?? { ok: false as const, error: 'not delivered', maxAttempts: 1 };
    if (outcome.ok) continue;
    const key = and(eq(o.tenantId, tenantId), eq(o.id, row.id));
    const attempts = row.attempts + 1;
    const giveUp = attempts >= outcome.maxAttempts;
    // 'infinity' keeps a given-up row out of every pass (and out of the index range scanned) until someone resets it.
    const next = giveUp ? sql`'infinity'::timestamptz` : sql`now() + ${backoffMs(attempts)} * interval '1 millisecond'`;
    await tx.update(o).set({ attempts, lastError: outcome.error, nextAttemptAt: next }).where(key);
    const log = logger.child({ tenantId, eventId: row.id, event: row.name, attempts });
    if (giveUp) {
      result.gaveUp += 1;
      log.error({ err: outcome.error }, 'outbox event failed for good: giving up (reset next_attempt_at to retry)');
    } else {
      result.failed += 1;
      log.warn({ err: outcome.error }, 'outbox event failed: will retry');
    }
  }
  return rows.length;
}
