import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courses, courseItems } from './courses';
import { memberships } from './members';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/** How a member wants mail for one notification type. In-app notices are always kept. */
export const EMAIL_MODES = ['immediately', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/**
 * In-app notifications (the bell). One row per recipient; `dedupe_key` makes every producer idempotent
 * (a redelivered event or a re-run fan-out batch inserts nothing new). `email_mode` is the recipient's
 * preference when the notice was made; `emailed_at` is set once it went out by mail, alone or in a digest.
 */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    userId: uuid('user_id').notNull(),
    /** A key of lib/notifications/types (text, so a new type needs no migration). */
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** A path on the organisation's site (never an absolute URL from input). */
    link: text('link'),
    dedupeKey: text('dedupe_key').notNull(),
    emailMode: text('email_mode', { enum: EMAIL_MODES }).notNull(),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('notifications_dedupe_key').on(t.tenantId, t.userId, t.dedupeKey),
    index('notifications_user_recent_idx').on(t.tenantId, t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_unread_idx').on(t.tenantId, t.userId).where(sql`read_at is null`),
    index('notifications_digest_idx').on(t.tenantId, t.userId, t.createdAt).where(sql`email_mode = 'digest' and emailed_at is null`),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete('cascade'),
    tenantIsolation('notifications'),
  ],
);

/** A member's mail preference per notification type; no row = the type's default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    type: text('type').notNull(),
    emailMode: text('email_mode', { enum: EMAIL_MODES }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.type] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete('cascade'),
    tenantIsolation('notification_preferences'),
  ],
);

/**
 * Course announcements. Posting writes the row and an outbox event in one transaction; a job fans it out to
 * the enrolled learners in batches (`recipients` counts them, `fanned_out_at` marks the end).
 */
export const announcements = pgTable(
  'announcements',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    /** The author's user id (no foreign key: the announcement outlives the author's membership). */
    authorId: uuid('author_id'),
    title: text('title').notNull(),
    /** Sanitised rich text. */
    bodyHtml: text('body_html').notNull(),
    createdAt: createdAt(),
    recipients: integer('recipients').notNull().default(0),
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('announcements_course_recent_idx').on(t.tenantId, t.courseId, t.createdAt.desc(), t.id.desc()),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('announcements'),
  ],
);

/** A member's private calendar feed: only the SHA-256 of its secret token is kept; revoking deletes the row. */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    uniqueIndex('calendar_feeds_token_key').on(t.tenantId, t.tokenHash),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete('cascade'),
    tenantIsolation('calendar_feeds'),
  ],
);

/** Due-date reminders sent: one row per item and due date, so a moved due date is reminded again, once. */
export const dueReminders = pgTable(
  'due_reminders',
  {
    tenantId: tenantId(),
    itemId: uuid('item_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull().default(0),
    sentAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.itemId, t.dueAt] }),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    tenantIsolation('due_reminders'),
  ],
);
