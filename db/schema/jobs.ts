import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
