import { logger } from '@/lib/log';
import { processOutbox, type DeliverBatch, type Delivery, type PassResult } from './outbox-loop';
import { JOBS, jobsFor, type EventJob } from './registry';
import { errorText, runJob } from './run';

/** Run every job an event triggers; the row is done when all of them have succeeded (now or earlier). */
export function runJobsDelivery(jobs: readonly EventJob[] = JOBS): DeliverBatch {
  return async (tx, tenantId, events) => {
    const out = new Map<string, Delivery>();
    for (const event of events) {
      const mine = jobsFor(event.name, jobs);
      const errors: string[] = [];
      for (const job of mine) {
        const r = await runJob(tx, job, tenantId, event);
        if (r.status === 'failed') errors.push(`${job.id}: ${r.error}`);
      }
      out.set(event.id, errors.length ? { ok: false, error: errors.join('\n'), maxAttempts: 1 + Math.max(...mine.map((j) => j.retries)) } : { ok: true });
    }
    return out;
  };
}

/** One pass of the embedded worker over every tenant's due outbox rows (exported for tests and scripts). */
export function drainOnce(opts: { jobs?: readonly EventJob[]; batchSize?: number } = {}): Promise<PassResult> {
  return processOutbox(runJobsDelivery(opts.jobs), { batchSize: opts.batchSize });
}

export type Stop = () => Promise<void>;

/**
 * Run `pass` every intervalMs, one pass at a time (never overlapping), until stop() — which waits for
 * the pass in flight. Errors are logged and the loop carries on.
 */
export function startLoop(name: string, pass: () => Promise<PassResult>, intervalMs: number): Stop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = pass()
      .then((r) => {
        if (r.claimed) logger.info({ loop: name, ...r }, 'outbox pass');
      })
      .catch((e: unknown) => logger.error({ loop: name, err: errorText(e) }, 'outbox pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  logger.info({ loop: name, intervalMs }, 'outbox loop started');
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** The in-process executor used when Inngest is not configured. */
export function startEmbeddedWorker(opts: { intervalMs?: number; jobs?: readonly EventJob[] } = {}): Stop {
  return startLoop('embedded-worker', () => drainOnce({ jobs: opts.jobs }), opts.intervalMs ?? 1000);
}
