import type { Tx } from '@/db/client';
import type { JobContext, JobEvent } from '@/lib/jobs/registry';
import { logger } from '@/lib/log';

/**
 * What an executor hands a job's handler, for tests that call a handler directly inside their own
 * transaction (no run record; steps run at once, not memoised — use runJob for that).
 */
export function handlerContext(tx: Tx, tenantId: string, event: Omit<JobEvent, 'id' | 'createdAt'> & Partial<JobEvent>, log = logger): JobContext {
  const full: JobEvent = { id: crypto.randomUUID(), createdAt: new Date(), ...event };
  return { tenantId, tx, event: full, payload: full.payload, log, step: { run: (_id, fn) => fn(tx) } };
}
