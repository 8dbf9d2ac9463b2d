import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { schema, withTenant, type Tx } from '@/db/client';
import { logger } from '@/lib/log';
import type { Job, JobEvent, StepTools } from './registry';

export type RunOutcome = { status: 'succeeded' } | { status: 'already-done' } | { status: 'failed'; error: string; poison?: boolean };

/** An error's message, bounded: never the stack, never the payload. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/** Where a payload fails its schema, without echoing values (payloads may carry personal data). */
function schemaProblem(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.code}`)
    .join('; ');
}

/** step.run backed by job_steps in the run's transaction (each step in its own savepoint). */
function stepTools(tx: Tx, tenantId: string, jobId: string, eventId: string): StepTools {
  const s = schema.jobSteps;
  const seen = new Set<string>();
  return {
    async run<T>(stepId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
      if (seen.has(stepId)) throw new Error(`step "${stepId}" ran twice in one run: step ids must be unique`);
      seen.add(stepId);
      const [done] = await tx
        .select({ output: s.output })
        .from(s)
        .where(and(eq(s.tenantId, tenantId), eq(s.jobId, jobId), eq(s.eventId, eventId), eq(s.stepId, stepId)));
      if (done) return done.output as T;
      return tx.transaction(async (sp) => {
        const output = await fn(sp);
        await sp.insert(s).values({ tenantId, jobId, eventId, stepId, output: (output ?? null) as unknown });
        return output;
      });
    },
  };
}

/**
 * Run one job for one event inside the tenant's open transaction, at most once to success. The job_runs
 * row is taken first (insert, or lock the existing one): a concurrent run of the same job for the same event
 * waits on it and then finds it succeeded. The payload is checked against the job's `input` first: a payload
 * that does not fit fails for good (`poison`: retrying cannot help). The handler runs in a savepoint, so a
 * failure undoes its writes but keeps the failure record — except a workflow's finished steps, each in its
 * own savepoint, which are kept. Only 'succeeded' or 'failed' is ever committed.
 */
export async function runJob(tx: Tx, job: Job, tenantId: string, event: JobEvent): Promise<RunOutcome> {
  const log = logger.child({ job: job.id, tenantId, eventId: event.id });
  const t = schema.jobRuns;
  const [run] = await tx
    .insert(t)
    .values({ tenantId, jobId: job.id, eventId: event.id, status: 'failed', attempts: 0 })
    .onConflictDoUpdate({ target: [t.tenantId, t.jobId, t.eventId], set: { attempts: sql`job_runs.attempts` } }) // a no-op update: it takes the row lock
    .returning({ status: t.status, attempts: t.attempts });
  if (run!.status === 'succeeded') return { status: 'already-done' };
  const key = sql`${t.tenantId} = ${tenantId} and ${t.jobId} = ${job.id} and ${t.eventId} = ${event.id}`;
  const fail = async (error: string, poison: boolean): Promise<RunOutcome> => {
    await tx
      .update(t)
      .set({ status: 'failed', attempts: sql`${t.attempts} + 1`, lastError: error, finishedAt: sql`now()` })
      .where(key);
    if (poison) log.error({ event: event.name, err: error }, 'job refused a malformed payload: dead letter');
    else log.warn({ attempt: run!.attempts + 1, err: error }, 'job failed');
    return { status: 'failed', error, ...(poison ? { poison } : {}) };
  };
  let payload: unknown = event.payload;
  if (job.input) {
    const parsed = job.input.safeParse(event.payload);
    if (!parsed.success) return fail(`malformed payload for ${event.name}: ${schemaProblem(parsed.error)}`, true);
    payload = parsed.data;
  }
  try {
    const ctx = (db: Tx) => ({ tenantId, tx: db, event, payload, log, step: stepTools(db, tenantId, job.id, event.id) });
    if (job.workflow) await job.handler(ctx(tx));
    else await tx.transaction((sp) => job.handler(ctx(sp)));
  } catch (e) {
    return fail(errorText(e), false);
  }
  await tx
    .update(t)
    .set({ status: 'succeeded', attempts: sql`${t.attempts} + 1`, lastError: null, finishedAt: sql`now()` })
    .where(key);
  log.info({ attempt: run!.attempts + 1 }, 'job succeeded');
  return { status: 'succeeded' };
}

/**
 * Run a job in its own tenant transaction (the Inngest path): the outcome is committed (a failure record, a
 * workflow's finished steps) and returned; the Inngest function turns a failure into a retry, or into no
 * retry when the payload is poison.
 */
export function runJobForTenant(job: Job, tenantId: string, event: JobEvent): Promise<RunOutcome> {
  return withTenant(tenantId, (tx) => runJob(tx, job, tenantId, event));
}
