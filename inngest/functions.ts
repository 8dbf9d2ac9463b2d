import type { Inngest } from 'inngest';
import { JOBS, type EventJob } from '@/lib/jobs/registry';
import { fromRelayedEvent } from '@/lib/jobs/relay';
import { runJobForTenant } from '@/lib/jobs/run';

/** Runs of one job per tenant at once, when the job asks for a per-tenant key. */
export const PER_TENANT_CONCURRENCY = 5;

type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

/** One Inngest function per registry job: a thin wrapper, the work and its dedupe live in lib/jobs. */
export function jobFunction(client: Inngest, job: EventJob) {
  return client.createFunction(
    {
      id: job.id,
      retries: job.retries as Retries,
      triggers: [{ event: job.trigger.event }],
      ...(job.concurrencyKey === 'tenant' ? { concurrency: [{ key: 'event.data.tenantId', limit: PER_TENANT_CONCURRENCY }] } : {}),
    },
    async ({ event }) => {
      const { tenantId, event: jobEvent } = fromRelayedEvent(event.name, event.data, event.ts);
      return runJobForTenant(job, tenantId, jobEvent);
    },
  );
}

export function inngestFunctions(client: Inngest, jobs: readonly EventJob[] = JOBS) {
  return jobs.map((job) => jobFunction(client, job));
}
