import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { memberships } from './members';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

export const courseStatus = pgEnum('course_status', ['draft', 'published', 'archived']);
export const enrolmentMode = pgEnum('enrolment_mode', ['open', 'approval', 'invite']);
export const courseRole = pgEnum('course_role', ['learner', 'ta', 'instructor']);
export const enrolmentStatus = pgEnum('enrolment_status', ['active', 'pending', 'declined']);

export const courses = pgTable(
  'courses',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    descriptionHtml: text('description_html').notNull().default(''),
    coverKey: text('cover_key'),
    category: text('category'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    language: text('language').notNull().default('en'),
    status: courseStatus('status').notNull().default('draft'),
    enrolmentMode: enrolmentMode('enrolment_mode').notNull().default('open'),
    /** Learner seats; null is unlimited. `seatsTaken` is the counter the capacity check updates atomically. */
    capacity: integer('capacity'),
    seatsTaken: integer('seats_taken').notNull().default(0),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** Bumped by every structural change, so a reorder computed on a stale outline is refused. */
    structureVersion: integer('structure_version').notNull().default(0),
    /** Letter-grade scheme (highest first: `{ letter, min }` in percent); null = the default scheme. */
    gradingScheme: jsonb('grading_scheme').$type<{ letter: string; min: number }[]>(),
    /** Price in the currency's minor unit when the organisation sells this course; null is free. */
    priceCents: integer('price_cents'),
    priceCurrency: text('price_currency'),
    /** The integrator's own id for this course (e.g. ABC-101), unique per organisation; `/courses/sis:ABC-101`. */
    sisId: text('sis_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('courses_slug_key').on(t.tenantId, t.slug),
    index('courses_catalogue_idx').on(t.tenantId, t.status, t.title),
    index('courses_category_idx').on(t.tenantId, t.category),
    // Catalogue search: trigram GIN led by tenant_id (btree_gin), so one tenant's search never scans another's.
    index('courses_title_trgm_idx').using('gin', t.tenantId, t.title.op('gin_trgm_ops')),
    index('courses_summary_trgm_idx').using('gin', t.tenantId, t.summary.op('gin_trgm_ops')),
    uniqueIndex('courses_sis_key').on(t.tenantId, t.sisId),
    index('courses_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    check('courses_price_check', sql`(${t.priceCents} is null and ${t.priceCurrency} is null) or (${t.priceCents} between 50 and 100000000 and ${t.priceCurrency} ~ '^[a-z]{3}$')`),
    tenantIsolation('courses'),
  ],
);

export const courseModules = pgTable(
  'course_modules',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('course_modules_course_idx').on(t.tenantId, t.courseId, t.position),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('course_modules'),
  ],
);

export const courseItems = pgTable(
  'course_items',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    moduleId: uuid('module_id').notNull(),
    /** A key of the item-kind registry (lib/courses/kinds): text, so a new kind needs no migration. */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull(),
    required: boolean('required').notNull().default(true),
    /** Kind-specific content, validated and sanitised by the kind's own module on write. */
    content: jsonb('content').$type<Record<string, unknown>>().notNull().default({}),
    prerequisiteItemId: uuid('prerequisite_item_id'),
    releaseAt: timestamp('release_at', { withTimezone: true }),
    releaseAfterDays: integer('release_after_days'),
    /** Gradebook category of a gradable item (quiz, assignment); null = uncategorised. */
    gradeCategoryId: uuid('grade_category_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('course_items_course_idx').on(t.tenantId, t.courseId, t.position),
    index('course_items_module_idx').on(t.tenantId, t.moduleId, t.position),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.moduleId], foreignColumns: [courseModules.tenantId, courseModules.id] }).onDelete('cascade'),
    // ON DELETE SET NULL (prerequisite_item_id) is applied by migration 0007 (drizzle cannot express the column list).
    foreignKey({ columns: [t.tenantId, t.prerequisiteItemId], foreignColumns: [t.tenantId, t.id] }).onDelete('set null'),
    tenantIsolation('course_items'),
  ],
);

export const enrolments = pgTable(
  'enrolments',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: courseRole('role').notNull().default('learner'),
    status: enrolmentStatus('status').notNull().default('active'),
    createdAt: createdAt(),
    /** When the seat was granted (self-enrolment, approval, or added by staff); drip dates count from here. */
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    lastItemId: uuid('last_item_id'),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    /** Bumped by a trigger on every update (integrators sync with `updated_since`). */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sisId: text('sis_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('enrolments_course_user_key').on(t.tenantId, t.courseId, t.userId),
    uniqueIndex('enrolments_sis_key').on(t.tenantId, t.sisId),
    index('enrolments_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    index('enrolments_user_idx').on(t.tenantId, t.userId),
    index('enrolments_roster_idx').on(t.tenantId, t.courseId, t.role, t.status),
    // The roster's default order (newest first) read straight from an index, so page 1 costs the same at 20 or 20,000.
    index('enrolments_course_recent_idx').on(t.tenantId, t.courseId, t.createdAt, t.id),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete('cascade'),
    tenantIsolation('enrolments'),
  ],
);

export const itemProgress = pgTable(
  'item_progress',
  {
    tenantId: tenantId(),
    enrolmentId: uuid('enrolment_id').notNull(),
    itemId: uuid('item_id').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Video: merged [start, end] second ranges actually played, and the media duration. */
    watched: jsonb('watched').$type<[number, number][]>(),
    durationSeconds: real('duration_seconds'),
    /** When this learner first reported playing the video: watched time can't outrun the clock since. */
    watchStartedAt: timestamp('watch_started_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.enrolmentId, t.itemId] }),
    index('item_progress_item_idx').on(t.tenantId, t.itemId),
    foreignKey({ columns: [t.tenantId, t.enrolmentId], foreignColumns: [enrolments.tenantId, enrolments.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    tenantIsolation('item_progress'),
  ],
);

/** Uploaded objects: content-addressed keys in the object store, with what the upload check found. */
export const files = pgTable(
  'files',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), tenantIsolation('files')],
);

/**
 * Who uploaded a file, for what and in which course. Files are content-addressed (the same bytes are one
 * `files` row), so this records every uploader: a learner may hand in only files they uploaded themselves
 * for submissions to that course.
 */
export const fileUploads = pgTable(
  'file_uploads',
  {
    tenantId: tenantId(),
    key: text('key').notNull(),
    userId: uuid('user_id').notNull(),
    purpose: text('purpose').notNull(),
    courseId: uuid('course_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key, t.userId, t.purpose, t.courseId] }),
    foreignKey({ columns: [t.tenantId, t.key], foreignColumns: [files.tenantId, files.key] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('file_uploads'),
  ],
);
