/**
 * `npm run worker`: the outbox loop (embedded worker, or the relay when Inngest is configured) and the sweeps in
 * a process of their own. Run it beside web processes started with LECTERN_WORKER=0 and the same environment
 * (DATABASE_URL, APP_DATABASE_URL or LECTERN_APP_DB_PASSWORD, AUTH_SECRET, …), so grading and other jobs never
 * share an event loop with requests. Any number may run: outbox rows are claimed with SKIP LOCKED.
 * SIGINT / SIGTERM finish the pass in flight and exit.
 */
import { closeDb } from '@/db/client';
import { inngest } from '@/inngest/client';
import { startBackgroundWork } from '@/lib/jobs/background';
import { logger } from '@/lib/log';

// Connections name themselves lectern-worker, so the worker can tell web requests' load from its own.
process.env.LECTERN_PROCESS_KIND = 'worker';
const stop = startBackgroundWork(() => (events) => inngest().send(events), { workerOnly: true });
logger.info({ pid: process.pid }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker stopping');
  await stop?.();
  await closeDb();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
