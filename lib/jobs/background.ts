import { env, inngestConfigured } from '@/lib/env';
import { logger } from '@/lib/log';
import type { SendEvents } from './relay';
import { startCron } from './cron';
import { startRelay } from './relay';
import { startSweeps } from './sweeps';
import { startEmbeddedWorker, type Stop } from './worker';

/**
 * Start this process's outbox loop (called once from instrumentation.ts under the Node runtime): the relay to
 * Inngest when Inngest is configured, else the embedded worker. LECTERN_WORKER=0 starts neither, so the web
 * process serves only requests while `npm run worker` (workerOnly) drains the outbox, giving way while the web
 * processes' connections are busy.
 */
export function startBackgroundWork(inngestSend: () => SendEvents, opts: { workerOnly?: boolean } = {}): Stop | undefined {
  // Once per process, even if register() runs again (dev reloads).
  const g = globalThis as { __lecternBackground?: Stop };
  if (g.__lecternBackground) return g.__lecternBackground;
  const e = env();
  if (!e.LECTERN_WORKER && !opts.workerOnly) {
    logger.info('LECTERN_WORKER=0: this process does not drain the outbox');
    return undefined;
  }
  const outbox = inngestConfigured(e) ? startRelay(inngestSend()) : startEmbeddedWorker({ giveWay: opts.workerOnly ? 'database' : 'event-loop' });
  // Sweeps and the cron scheduler run in-process with either executor: cron ticks go through the outbox,
  // so Inngest receives them as events like any other.
  const sweeps = startSweeps();
  const cron = startCron();
  g.__lecternBackground = async () => {
    await Promise.all([outbox(), sweeps(), cron()]);
  };
  return g.__lecternBackground;
}
