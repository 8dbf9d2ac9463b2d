import { asc } from 'drizzle-orm';
import { schema, withGlobal, withTenant, type Tx } from '@/db/client';
import { expireIdempotencyKeys } from '@/lib/api/handler';
import { autoSubmitOverdue } from '@/lib/assessment/attempts';
import { logger } from '@/lib/log';
import { expireWebhookDeliveries } from '@/lib/webhooks/delivery';
import type { Stop } from './worker';

/**
 * Sweeps: small periodic tasks run for every organisation (until the executors schedule cron jobs). Each
 * must be idempotent and safe to run on several instances at once (claim rows with SKIP LOCKED); the
 * events they emit go through the outbox like any other.
 */
export type Sweep = { id: string; run: (tx: Tx, tenantId: string, now: Date) => Promise<number> };

export const SWEEPS: readonly Sweep[] = [
  // Attempts whose deadline passed are submitted (and so graded) even if the learner never comes back.
  { id: 'auto-submit-overdue-attempts', run: (tx, tenantId, now) => autoSubmitOverdue(tx, tenantId, now) },
  // Stored API responses past their 24 hours are of no use to a replay.
  { id: 'expire-idempotency-keys', run: (tx, tenantId, now) => expireIdempotencyKeys(tx, tenantId, now) },
  // The webhook delivery log keeps 30 days of finished deliveries (their attempts go with them).
  { id: 'expire-webhook-deliveries', run: (tx, tenantId, now) => expireWebhookDeliveries(tx, tenantId, now) },
];

/** One pass of every sweep over every organisation; returns how many rows each sweep touched. */
export async function sweepOnce(now = new Date(), sweeps: readonly Sweep[] = SWEEPS): Promise<Record<string, number>> {
  const tenants = await withGlobal((tx) => tx.select({ id: schema.tenants.id }).from(schema.tenants).orderBy(asc(schema.tenants.id)));
  const touched: Record<string, number> = Object.fromEntries(sweeps.map((s) => [s.id, 0]));
  for (const sweep of sweeps) {
    for (const { id } of tenants) {
      try {
        touched[sweep.id]! += await withTenant(id, (tx) => sweep.run(tx, id, now));
      } catch (e) {
        logger.error({ sweep: sweep.id, tenantId: id, err: e instanceof Error ? e.message : String(e) }, 'sweep failed');
      }
    }
  }
  return touched;
}

/** Run the sweeps every intervalMs (never overlapping) until stop(), which waits for the pass in flight. */
export function startSweeps(intervalMs = 30_000): Stop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepOnce()
      .then((touched) => {
        if (Object.values(touched).some((n) => n > 0)) logger.info({ touched }, 'sweeps');
      })
      .catch((e: unknown) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'sweeps failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
