import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy';
import { createdAt, tenantId, tenantIsolation } from './tenant-table';

/**
 * One row per (job, outbox event): the dedupe record that makes job handlers idempotent. A run that
 * succeeded is never repeated for the same event id, whichever executor (embedded worker or Inngest) redelivers it.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: text('job_id').notNull(),
    eventId: uuid('event_id').notNull(),
    status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.jobId, t.eventId] }), tenantIsolation('job_runs')],
);

/**
 * The finished steps of a multi-step job (a workflow) for one event, with their results: a retry of the run
 * skips them and reuses the results, as Inngest's step.run does with its own state.
 */
export const jobSteps = pgTable(
  'job_steps',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: text('job_id').notNull(),
    eventId: uuid('event_id').notNull(),
    stepId: text('step_id').notNull(),
    output: jsonb('output'),
    finishedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.jobId, t.eventId, t.stepId] }), tenantIsolation('job_steps')],
);

/**
 * Global (no tenant): the cron slots already scheduled. Whichever process inserts a slot first emits that
 * tick's per-organisation events; every other process finds the row and does nothing.
 */
export const cronTicks = pgTable(
  'cron_ticks',
  {
    jobId: text('job_id').notNull(),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    tenants: integer('tenants').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.slot] })],
);
