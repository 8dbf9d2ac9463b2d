import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { courses } from './courses';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/** Programs: an ordered set of courses; completing every one issues a program certificate. */
export const programs = pgTable(
  'programs',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    status: text('status', { enum: ['draft', 'published', 'archived'] }).notNull().default('draft'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('programs_slug_key').on(t.tenantId, t.slug), tenantIsolation('programs')],
);

export const programCourses = pgTable(
  'program_courses',
  {
    tenantId: tenantId(),
    programId: uuid('program_id').notNull(),
    courseId: uuid('course_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.programId, t.courseId] }),
    index('program_courses_course_idx').on(t.tenantId, t.courseId),
    foreignKey({ columns: [t.tenantId, t.programId], foreignColumns: [programs.tenantId, programs.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('program_courses'),
  ],
);

/**
 * Certificates of completion, of a course or of a program (exactly one of the two). Names and titles are
 * copied at issue, so the certificate says what was true then; the course or program may change or go.
 * `code` is the public verification code (/verify/<code> on the organisation's site). A revoked
 * certificate stays, marked, so its page can say so.
 */
export const certificates = pgTable(
  'certificates',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    code: text('code').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    courseId: uuid('course_id'),
    programId: uuid('program_id'),
    recipientName: text('recipient_name').notNull(),
    title: text('title').notNull(),
    /** The PDF in file storage, written when issued. */
    fileKey: text('file_key'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('certificates_code_key').on(t.tenantId, t.code),
    uniqueIndex('certificates_course_key').on(t.tenantId, t.userId, t.courseId).where(sql`course_id is not null`),
    uniqueIndex('certificates_program_key').on(t.tenantId, t.userId, t.programId).where(sql`program_id is not null`),
    index('certificates_user_idx').on(t.tenantId, t.userId, t.issuedAt.desc()),
    index('certificates_recent_idx').on(t.tenantId, t.issuedAt.desc(), t.id.desc()),
    check('certificates_one_subject', sql`(course_id is null) <> (program_id is null)`),
    tenantIsolation('certificates'),
  ],
);
