import { CronExpressionParser } from 'cron-parser';
import { and, asc, eq } from 'drizzle-orm';
import { enterTenant, schema, withGlobal } from '@/db/client';
import { emit } from '@/lib/events/outbox';
import { logger } from '@/lib/log';
import { cronEventName, cronJobs, JOBS, type Job } from './registry';
import type { Stop } from './worker';

/** The latest time at or before `now` that a five-field cron expression (UTC) names. */
export function latestSlot(cron: string, now: Date): Date {
  const at = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 1); // just past the minute: prev() includes it
  return CronExpressionParser.parse(cron, { currentDate: at, tz: 'UTC' }).prev().toDate();
}

export type Scheduled = { jobId: string; slot: string; tenants: number };

/**
 * One scheduler pass, safe on any number of processes at once: for each cron job, its latest slot is
 * claimed in cron_ticks (the first insert wins) and, in the same transaction, a tick event
 * (`lectern/cron.<id>.v1`, payload `{ slot }`) is written to every organisation's outbox — all or nothing,
 * so a crash never leaves an organisation without its tick. The ticks are then delivered like any event
 * (embedded worker or Inngest), so the job runs once per organisation per slot (job_runs), with retries and
 * per-organisation fairness. After downtime the latest missed slot runs once; earlier ones are skipped.
 */
export async function scheduleCron(now = new Date(), jobs: readonly Job[] = JOBS): Promise<Scheduled[]> {
  const done: Scheduled[] = [];
  for (const job of cronJobs(jobs)) {
    const slot = latestSlot(job.trigger.cron, now);
    const scheduled = await withGlobal(async (tx) => {
      const [claimed] = await tx.insert(schema.cronTicks).values({ jobId: job.id, slot }).onConflictDoNothing().returning({ jobId: schema.cronTicks.jobId });
      if (!claimed) return null;
      const tenants = await tx.select({ id: schema.tenants.id }).from(schema.tenants).orderBy(asc(schema.tenants.id));
      let ticked = 0;
      for (const { id } of tenants) {
        await enterTenant(tx, id);
        if (job.cronIf && !(await job.cronIf(tx, slot))) continue;
        await emit(tx, id, cronEventName(job.id), { slot: slot.toISOString() });
        ticked++;
      }
      await tx.update(schema.cronTicks).set({ tenants: ticked }).where(and(eq(schema.cronTicks.jobId, job.id), eq(schema.cronTicks.slot, slot)));
      return { jobId: job.id, slot: slot.toISOString(), tenants: ticked };
    });
    if (scheduled) {
      logger.info(scheduled, 'cron tick scheduled');
      done.push(scheduled);
    }
  }
  return done;
}

/** Run the scheduler every intervalMs (never overlapping) until stop(). */
export function startCron(intervalMs = 20_000): Stop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = scheduleCron()
      .catch((e: unknown) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'cron scheduling failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
