import type { Logger } from 'pino';
import type { Tx } from '@/db/client';
import { gradeAttempt } from '@/lib/assessment/attempts';
import { notifyEnrolment } from '@/lib/enrolment/notifications';
import type { EventName } from '@/lib/events/outbox';
import { EMAIL_QUEUED } from '@/lib/mail/service';
import { SEND_EMAIL_RETRIES, sendQueuedEmail } from '@/lib/mail/send-email';

/** The outbox row a job runs for. Its id is stable across redeliveries: the dedupe key. */
export type JobEvent = { id: string; name: EventName; payload: Record<string, unknown>; createdAt: Date };

/**
 * What a handler gets. `tx` is the tenant's transaction (RLS applies) in which the run is recorded: database
 * writes made through it commit together with "done", so a redelivered event changes nothing.
 */
export type JobContext = { tenantId: string; tx: Tx; event: JobEvent; log: Logger };

export type JobTrigger = { event: EventName } | { cron: string };

export type Job = {
  /** Stable, kebab-case: it names the Inngest function and keys job_runs. Never rename a deployed job. */
  id: string;
  trigger: JobTrigger;
  /** 'tenant': Inngest runs at most a few of this job per tenant at once, so one tenant cannot starve the rest. */
  concurrencyKey?: 'tenant';
  /** Retries after the first attempt (Inngest's `retries`; the embedded worker gives up after 1 + retries). */
  retries: number;
  /** Must be idempotent: a retry of a run that did not finish may see some of its effects already made elsewhere. */
  handler: (ctx: JobContext) => Promise<void>;
};

export type EventJob = Job & { trigger: { event: EventName } };

const JOB_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Declare a job once; both executors (Inngest functions and the embedded worker) read it from JOBS. */
export function defineJob(job: Job): EventJob {
  if (!JOB_ID.test(job.id)) throw new Error(`defineJob: "${job.id}" is not a kebab-case id`);
  if (!Number.isInteger(job.retries) || job.retries < 0 || job.retries > 20) throw new Error(`defineJob: ${job.id} retries must be 0–20`);
  // Neither executor schedules cron jobs yet (they need a per-tenant fan-out): refuse rather than never run.
  if (!('event' in job.trigger)) throw new Error(`defineJob: ${job.id} has a cron trigger, which no executor runs yet`);
  return job as EventJob;
}

export const JOBS: readonly EventJob[] = [
  defineJob({
    id: 'notify-enrolment',
    trigger: { event: 'lectern/enrolment.created.v1' },
    concurrencyKey: 'tenant',
    retries: 5,
    handler: notifyEnrolment,
  }),
  defineJob({
    id: 'grade-quiz-attempt',
    trigger: { event: 'lectern/attempt.submitted.v1' },
    concurrencyKey: 'tenant',
    retries: 10,
    // Idempotent: grading a graded attempt changes nothing; the learner polls until it is graded.
    handler: async ({ tx, tenantId, event }) => {
      await gradeAttempt(tx, tenantId, String(event.payload.attemptId));
    },
  }),
  defineJob({
    id: 'send-email',
    trigger: { event: EMAIL_QUEUED },
    concurrencyKey: 'tenant',
    // Retries back off through the outbox (about 40 minutes in all); the mail is then marked failed.
    retries: SEND_EMAIL_RETRIES,
    handler: sendQueuedEmail,
  }),
];

/** The jobs an event starts. */
export function jobsFor(name: string, jobs: readonly EventJob[] = JOBS): EventJob[] {
  return jobs.filter((j) => j.trigger.event === name);
}
