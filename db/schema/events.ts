import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/** Transactional outbox: written with the change that causes the event, relayed after commit. */
export const outbox = pgTable(
  'outbox',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('outbox_pending_idx').on(t.tenantId, t.nextAttemptAt).where(sql`sent_at is null`),
    tenantIsolation('outbox'),
  ],
);

/** Mail captured locally (the dev mailbox) until an SMTP transport is configured. */
export const emails = pgTable(
  'emails',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('emails_created_idx').on(t.tenantId, t.createdAt.desc()),
    tenantIsolation('emails'),
  ],
);
