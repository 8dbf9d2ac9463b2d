import { sql } from 'drizzle-orm';
import { foreignKey, index, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { courses } from './courses';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/**
 * A course's question bank. `type` is a key of the question-type registry (lib/assessment/questions) and
 * `definition` its validated definition (options, answer keys, tolerances, feedback) — never sent to learners.
 */
export const questions = pgTable(
  'questions',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    type: text('type').notNull(),
    promptHtml: text('prompt_html').notNull(),
    points: numeric('points', { precision: 8, scale: 2, mode: 'number' }).notNull().default(1),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Archived questions leave the bank but stay readable for the attempts that used them. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('questions_course_idx').on(t.tenantId, t.courseId, t.createdAt),
    index('questions_tags_idx').using('gin', t.tenantId, t.tags),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('questions'),
  ],
);
