import { NonRetriableError, type Inngest } from 'inngest';
import { JOBS, type Job } from '@/lib/jobs/registry';
import { fromRelayedEvent, RelayedEventData } from '@/lib/jobs/relay';
import { runJobForTenant } from '@/lib/jobs/run';

/** Runs of one job per tenant at once, when the job asks for a per-tenant key. */
export const PER_TENANT_CONCURRENCY = 5;

type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

/** One Inngest function per registry job: a thin wrapper, the work and its dedupe live in lib/jobs. */
export function jobFunction(client: Inngest, job: Job) {
  return client.createFunction(
    {
      id: job.id,
      retries: job.retries as Retries,
      triggers: [{ event: job.trigger.event }],
      ...(job.concurrencyKey === 'tenant' ? { concurrency: [{ key: 'event.data.tenantId', limit: PER_TENANT_CONCURRENCY }] } : {}),
    },
    async ({ event }) => {
      const relayed = RelayedEventData.safeParse(event.data);
      if (!relayed.success) throw new NonRetriableError(`${job.id}: the event is not a relayed Lectern event`);
      const { tenantId, event: jobEvent } = fromRelayedEvent(event.name, relayed.data, event.ts);
      const outcome = await runJobForTenant(job, tenantId, jobEvent);
      if (outcome.status !== 'failed') return outcome;
      // Poison (a payload the job's schema refuses) is never retried; anything else is, by Inngest.
      throw outcome.poison ? new NonRetriableError(`${job.id}: ${outcome.error}`) : new Error(`${job.id} failed: ${outcome.error}`);
    },
  );
}

export function inngestFunctions(client: Inngest, jobs: readonly Job[] = JOBS) {
  return jobs.map((job) => jobFunction(client, job));
}
