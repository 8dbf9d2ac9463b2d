import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import { fanOutAnnouncement } from '@/lib/announcements/fan-out';
import { gradeAttempt } from '@/lib/assessment/attempts';
import { sendDueReminders } from '@/lib/calendar/reminders';
import { CourseCompleted, issueCourseCertificate } from '@/lib/certificates/jobs';
import { notifyEnrolment } from '@/lib/enrolment/notifications';
import { applyImportBatch, IMPORT_BATCH_EVENT, ImportBatchPayload } from '@/lib/imports/service';
import { sendDailyDigest } from '@/lib/notifications/digest';
import type { EventName } from '@/lib/events/outbox';
import { EMAIL_QUEUED } from '@/lib/mail/service';
import { SEND_EMAIL_RETRIES, sendQueuedEmail } from '@/lib/mail/send-email';
import { issueProgramCertificates } from '@/lib/programs/workflow';
import { deliverDueWebhooksJob, fanOutWebhookEvent, hasDueDeliveries } from '@/lib/webhooks/delivery';
import { outboxNameOf, WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/events';

/** The outbox row a job runs for. Its id is stable across redeliveries: the dedupe key. */
export type JobEvent = { id: string; name: EventName; payload: Record<string, unknown>; createdAt: Date };

/**
 * Durable steps for workflows: `step.run(id, fn)` runs `fn` once per event — its writes and its JSON result
 * are kept (job_steps) when a later step fails, so a retry skips it and gets the same result back. In a job
 * with `workflow: true` each step has its own savepoint and code outside steps must not write.
 */
export type StepTools = { run<T>(id: string, fn: (tx: Tx) => Promise<T>): Promise<T> };

/**
 * What a handler gets. `tx` is the tenant's transaction (RLS applies) in which the run is recorded: database
 * writes made through it commit together with "done", so a redelivered event changes nothing. `payload` is
 * `event.payload` checked against the job's `input` schema (as given when the job has none).
 */
export type JobContext<P = Record<string, unknown>> = { tenantId: string; tx: Tx; event: JobEvent; payload: P; log: Logger; step: StepTools };

/** An event, or a cron schedule (five fields, UTC): a cron job runs once per organisation per slot. */
export type JobTrigger = { event: EventName } | { cron: string };

type JobBase = {
  /** Stable, kebab-case: it names the Inngest function and keys job_runs. Never rename a deployed job. */
  id: string;
  /** 'tenant': Inngest runs at most a few of this job per tenant at once, so one tenant cannot starve the rest. */
  concurrencyKey?: 'tenant';
  /** Retries after the first attempt (Inngest's `retries`; the embedded worker gives up after 1 + retries). */
  retries: number;
  /** Steps that survive a failed attempt (see StepTools); the handler is then a sequence of step.run calls. */
  workflow?: boolean;
  /**
   * Cron jobs only: whether an organisation needs this slot's tick at all (run in its transaction by the
   * scheduler). Saves a tick, an outbox row and a job run per organisation per slot when there is nothing to do.
   */
  cronIf?: (tx: Tx, slot: Date) => Promise<boolean>;
};

/** A job as declared: its payload schema types its handler. A payload that fails `input` is never retried: it is a dead letter at once. */
export type JobDefinition<P> = JobBase & {
  trigger: JobTrigger;
  input?: z.ZodType<P>;
  /** Must be idempotent: a retry of a run that did not finish may see some of its effects already made elsewhere. */
  handler: (ctx: JobContext<P>) => Promise<unknown>;
};

/** A registered job: every job has an event (a cron job's is `lectern/cron.<id>.v1`, emitted per organisation per slot). */
export type Job = JobBase & {
  trigger: { event: EventName; cron?: string };
  input?: z.ZodType<unknown>;
  handler: (ctx: JobContext<unknown>) => Promise<unknown>;
};

/** Kept for callers that name the registered shape. */
export type EventJob = Job;

const JOB_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The event a cron job's ticks carry: payload `{ slot }`, the scheduled time. */
export const cronEventName = (jobId: string): EventName => `lectern/cron.${jobId}.v1`;
export const CronTick = z.object({ slot: z.iso.datetime() });

/** Declare a job once; both executors (Inngest functions and the embedded worker) read it from JOBS. */
export function defineJob<P = Record<string, unknown>>(job: JobDefinition<P>): Job {
  if (!JOB_ID.test(job.id)) throw new Error(`defineJob: "${job.id}" is not a kebab-case id`);
  if (!Number.isInteger(job.retries) || job.retries < 0 || job.retries > 20) throw new Error(`defineJob: ${job.id} retries must be 0–20`);
  if ('cron' in job.trigger) {
    const cron = job.trigger.cron;
    try {
      CronExpressionParser.parse(cron, { tz: 'UTC' });
    } catch {
      throw new Error(`defineJob: ${job.id} has an invalid cron expression "${cron}"`);
    }
    if (cron.trim().split(/\s+/).length !== 5) throw new Error(`defineJob: ${job.id} cron "${cron}" must have five fields (minute precision)`);
    return { ...job, input: job.input ?? (CronTick as unknown as z.ZodType<P>), trigger: { event: cronEventName(job.id), cron } } as unknown as Job;
  }
  return job as unknown as Job;
}

export const JOBS: readonly Job[] = [
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
    input: z.object({ attemptId: z.uuid() }),
    // Idempotent: grading a graded attempt changes nothing; the learner polls until it is graded.
    handler: async ({ tx, tenantId, payload }) => {
      await gradeAttempt(tx, tenantId, payload.attemptId);
    },
  }),
  defineJob({
    id: 'fan-out-announcement',
    trigger: { event: 'lectern/announcement.posted.v1' },
    concurrencyKey: 'tenant',
    retries: 5,
    // Batches of 1,000 learners with keyset pagination; idempotent on `announcement:<id>` (lib/announcements).
    handler: fanOutAnnouncement,
  }),
  defineJob({
    id: 'due-date-reminders',
    // Every quarter hour, per organisation: items due within 24 h not yet reminded (lib/calendar/reminders.ts).
    trigger: { cron: '*/15 * * * *' },
    concurrencyKey: 'tenant',
    retries: 3,
    handler: sendDueReminders,
  }),
  defineJob({
    id: 'send-email',
    trigger: { event: EMAIL_QUEUED },
    concurrencyKey: 'tenant',
    // Retries back off through the outbox (about 40 minutes in all); the mail is then marked failed.
    retries: SEND_EMAIL_RETRIES,
    handler: sendQueuedEmail,
  }),
  defineJob({
    id: 'daily-digest',
    // 07:00 UTC, per organisation: one mail per member listing their notices set to "daily digest".
    trigger: { cron: '0 7 * * *' },
    concurrencyKey: 'tenant',
    retries: 3,
    handler: sendDailyDigest,
  }),
  defineJob({
    id: 'issue-course-certificate',
    trigger: { event: 'lectern/course.completed.v1' },
    concurrencyKey: 'tenant',
    retries: 8,
    input: CourseCompleted,
    handler: issueCourseCertificate,
  }),
  defineJob({
    id: 'issue-program-certificate',
    trigger: { event: 'lectern/course.completed.v1' },
    concurrencyKey: 'tenant',
    retries: 8,
    workflow: true,
    input: CourseCompleted,
    handler: issueProgramCertificates,
  }),
  defineJob({
    id: 'apply-import-batch',
    // One batch of a CSV import per run, in its own transaction; each run emits the next (lib/imports).
    trigger: { event: IMPORT_BATCH_EVENT },
    concurrencyKey: 'tenant',
    retries: 5,
    input: ImportBatchPayload,
    handler: applyImportBatch,
  }),
  // Outbound webhooks (lib/webhooks): one fan-out job per public event type — a delivery per subscribed
  // endpoint, attempted at once — and a cron job that sends the retries that have come due.
  ...WEBHOOK_EVENT_TYPES.map((type) =>
    defineJob({
      id: `webhooks-${type.replace(/[._]/g, '-')}`,
      trigger: { event: outboxNameOf(type) },
      concurrencyKey: 'tenant',
      retries: 5,
      handler: (ctx) => fanOutWebhookEvent(ctx),
    }),
  ),
  defineJob({
    id: 'deliver-webhooks',
    trigger: { cron: '* * * * *' },
    concurrencyKey: 'tenant',
    // A failed run changes nothing that the next minute's run would not redo.
    retries: 1,
    // Every minute for every organisation would be an outbox row and a job run each: only those with a retry due.
    cronIf: (tx, slot) => hasDueDeliveries(tx, slot),
    handler: deliverDueWebhooksJob,
  }),
];

/** The jobs an event starts. */
export function jobsFor(name: string, jobs: readonly Job[] = JOBS): Job[] {
  return jobs.filter((j) => j.trigger.event === name);
}

/** The cron jobs, for the scheduler. */
export function cronJobs(jobs: readonly Job[] = JOBS): (Job & { trigger: { cron: string } })[] {
  return jobs.filter((j): j is Job & { trigger: { cron: string } } => typeof j.trigger.cron === 'string');
}
