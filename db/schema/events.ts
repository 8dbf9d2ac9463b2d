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
    // Dead letters (given up: next_attempt_at = 'infinity'), newest first, for the admins' page.
    index('outbox_dead_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()).where(sql`sent_at is null and next_attempt_at = 'infinity'`),
    tenantIsolation('outbox'),
  ],
);

/**
 * Every mail Lectern writes, in the transaction that decides to send it: kept here as the dev mailbox when
 * no SMTP_URL is set, else queued for the send-email job (the row id is the Message-ID, so a resend after a
 * crash is recognisable as the same message).
 */
export const emails = pgTable(
  'emails',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    /** The branded HTML part (null for mail written before templates). */
    html: text('html'),
    /** captured: kept in the dev mailbox (no SMTP_URL); queued → sent, or failed after its retries. */
    status: text('status', { enum: ['captured', 'queued', 'sent', 'failed'] }).notNull().default('captured'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('emails_created_idx').on(t.tenantId, t.createdAt.desc()),
    tenantIsolation('emails'),
  ],
);
