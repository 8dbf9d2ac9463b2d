import { sql } from 'drizzle-orm';
import { schema, withTenant, type Tx } from '@/db/client';
import { logger } from '@/lib/log';
import type { EventJob, JobEvent } from './registry';

export type RunOutcome = { status: 'succeeded' } | { status: 'already-done' } | { status: 'failed'; error: string };

/** An error's message, bounded: never the stack, never the payload. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * Run one job for one event inside the tenant's open transaction, at most once to success. The job_runs
 * row is taken first (insert, or lock the existing one): a concurrent run of the same job for the same event
 * waits on it and then finds it succeeded. The handler runs in a savepoint, so a failure undoes its writes
 * but keeps the failure record. Only 'succeeded' or 'failed' is ever committed.
 */
export async function runJob(tx: Tx, job: EventJob, tenantId: string, event: JobEvent): Promise<RunOutcome> {
  const log = logger.child({ job: job.id, tenantId, eventId: event.id });
  const t = schema.jobRuns;
  const [run] = await tx
    .insert(t)
    .values({ tenantId, jobId: job.id, eventId: event.id, status: 'failed', attempts: 0 })
    .onConflictDoUpdate({ target: [t.tenantId, t.jobId, t.eventId], set: { attempts: sql`job_runs.attempts` } }) // a no-op update: it takes the row lock
    .returning({ status: t.status, attempts: t.attempts });
  if (run!.status === 'succeeded') return { status: 'already-done' };
  const key = sql`${t.tenantId} = ${tenantId} and ${t.jobId} = ${job.id} and ${t.eventId} = ${event.id}`;
  try {
    await tx.transaction((sp) => job.handler({ tenantId, tx: sp, event, log }));
  } catch (e) {
    const error = errorText(e);
    await tx
      .update(t)
      .set({ status: 'failed', attempts: sql`${t.attempts} + 1`, lastError: error, finishedAt: sql`now()` })
      .where(key);
    log.warn({ attempt: run!.attempts + 1, err: error }, 'job failed');
    return { status: 'failed', error };
  }
  await tx
    .update(t)
    .set({ status: 'succeeded', attempts: sql`${t.attempts} + 1`, lastError: null, finishedAt: sql`now()` })
    .where(key);
  log.info({ attempt: run!.attempts + 1 }, 'job succeeded');
  return { status: 'succeeded' };
}

/** Run a job in its own tenant transaction (the Inngest path); throws on failure so Inngest retries. */
export async function runJobForTenant(job: EventJob, tenantId: string, event: JobEvent): Promise<Exclude<RunOutcome, { status: 'failed' }>> {
  const outcome = await withTenant(tenantId, (tx) => runJob(tx, job, tenantId, event));
  if (outcome.status === 'failed') throw new Error(`${job.id} failed: ${outcome.error}`);
  return outcome;
}
