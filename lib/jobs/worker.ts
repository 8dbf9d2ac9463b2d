import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { webRequestsInFlight } from '@/db/client';
import { logger } from '@/lib/log';
import { processOutbox, type DeliverBatch, type Delivery, type PassResult } from './outbox-loop';
import { isKnownEvent } from '@/lib/events/catalogue';
import { JOBS, jobsFor, type Job } from './registry';
import { errorText, runJob } from './run';

/**
 * Run every job an event triggers; the row is done when all of them have succeeded (now or earlier). An
 * event no job takes and the catalogue does not know (a typo, an unknown version) is a dead letter at once,
 * as is a payload a job's schema refuses: retrying cannot fix either.
 */
export function runJobsDelivery(jobs: readonly Job[] = JOBS): DeliverBatch {
  return async (tx, tenantId, events) => {
    const out = new Map<string, Delivery>();
    for (const event of events) {
      const mine = jobsFor(event.name, jobs);
      if (!mine.length && !isKnownEvent(event.name)) {
        logger.error({ tenantId, eventId: event.id, event: event.name }, 'unknown event name or version: dead letter');
        out.set(event.id, { ok: false, error: `unknown event ${event.name}`, maxAttempts: 1 });
        continue;
      }
      const errors: string[] = [];
      let poison = false;
      for (const job of mine) {
        const r = await runJob(tx, job, tenantId, event);
        if (r.status === 'failed') {
          errors.push(`${job.id}: ${r.error}`);
          poison ||= r.poison === true;
        }
      }
      out.set(event.id, errors.length ? { ok: false, error: errors.join('\n'), maxAttempts: poison ? 1 : 1 + Math.max(...mine.map((j) => j.retries)) } : { ok: true });
    }
    return out;
  };
}

/** One pass of the embedded worker over every tenant's due outbox rows (exported for tests and scripts). */
export function drainOnce(opts: { jobs?: readonly Job[]; batchSize?: number; beforeBatch?: () => Promise<void> } = {}): Promise<PassResult> {
  return processOutbox(runJobsDelivery(opts.jobs), { batchSize: opts.batchSize, beforeBatch: opts.beforeBatch });
}

const PROBE_MS = 50;
const RESOLUTION_MS = 10;

/**
 * Background work gives way to requests. The embedded worker shares the web process's event loop, so
 * before each batch it listens for a moment: while the loop lags (requests are queueing, as in an exam's
 * submit burst) it waits, for at most `maxWaitMs` in all, so jobs are delayed but never starved. With
 * Inngest (or a worker-only process) this does not apply.
 */
export function yieldToRequests(opts: { lagMs?: number; maxWaitMs?: number } = {}): () => Promise<void> {
  const lagMs = opts.lagMs ?? 15;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return async () => {
    const started = Date.now();
    for (;;) {
      histogram.reset();
      const probe = performance.now();
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
      // How late the probe's own timer fired, or the loop's mean delay meanwhile (no sample at all: it was blocked).
      const overrun = performance.now() - probe - PROBE_MS;
      const lag = histogram.count > 0 ? Math.max(overrun, histogram.mean / 1e6 - RESOLUTION_MS) : Math.max(overrun, lagMs);
      if (lag < lagMs || Date.now() - started >= maxWaitMs) return;
    }
  };
}

/**
 * The same courtesy for a worker in a process of its own (`npm run worker`), which cannot see the web
 * processes' event loops: before each batch it asks Postgres how many web connections are busy and waits while
 * `busyAt` or more are (requests queueing, as in an exam's submit burst), for at most `maxWaitMs` in all.
 */
export function yieldToWebRequests(opts: { busyAt?: number; maxWaitMs?: number; pollMs?: number; inFlight?: () => Promise<number> } = {}): () => Promise<void> {
  const busyAt = opts.busyAt ?? 3;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const pollMs = opts.pollMs ?? 100;
  const inFlight = opts.inFlight ?? webRequestsInFlight;
  return async () => {
    const started = Date.now();
    while (Date.now() - started < maxWaitMs && (await inFlight()) >= busyAt) await new Promise((r) => setTimeout(r, pollMs));
  };
}

export type Stop = () => Promise<void>;

/**
 * Run `pass` one at a time (never overlapping) until stop() — which waits for the pass in flight: again at
 * once while passes find work (a backlog drains without idling), else every intervalMs. Errors are logged
 * and the loop carries on.
 */
export function startLoop(name: string, pass: () => Promise<PassResult>, intervalMs: number): Stop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    let busy = false;
    running = pass()
      .then((r) => {
        busy = r.claimed > 0;
        if (r.claimed) logger.info({ loop: name, ...r }, 'outbox pass');
      })
      .catch((e: unknown) => logger.error({ loop: name, err: errorText(e) }, 'outbox pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, busy ? 0 : intervalMs);
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

/** The executor used when Inngest is not configured: in the web process (giving way to requests) or in `npm run worker`. */
export function startEmbeddedWorker(opts: { intervalMs?: number; jobs?: readonly Job[]; giveWay?: 'event-loop' | 'database' | false } = {}): Stop {
  const giveWay = opts.giveWay ?? 'event-loop';
  const beforeBatch = giveWay === 'event-loop' ? yieldToRequests() : giveWay === 'database' ? yieldToWebRequests() : undefined;
  return startLoop('embedded-worker', () => drainOnce({ jobs: opts.jobs, beforeBatch }), opts.intervalMs ?? 1000);
}
