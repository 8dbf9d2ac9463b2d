import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courseItems, courses, enrolments } from './courses';
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

export const attemptStatus = pgEnum('attempt_status', ['in_progress', 'submitted', 'graded']);

/**
 * One learner's attempt at a quiz item. The deadline is fixed by the server when the attempt starts; the
 * drawn questions (and each one's option order) are frozen in `layout`, so a reload shows the same paper.
 */
export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    tenantId: tenantId(),
    id: id(),
    itemId: uuid('item_id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    number: integer('number').notNull(),
    status: attemptStatus('status').notNull().default('in_progress'),
    layout: jsonb('layout').$type<{ questionId: string; seed: string }[]>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** The client's key for its submit: a double submit (retry, second tab) is the same submission. */
    submitKey: text('submit_key'),
    autoSubmitted: boolean('auto_submitted').notNull().default(false),
    score: numeric('score', { precision: 10, scale: 2, mode: 'number' }),
    pointsPossible: numeric('points_possible', { precision: 10, scale: 2, mode: 'number' }),
    gradedAt: timestamp('graded_at', { withTimezone: true }),
    /** When the learner may see the result: at grading when no person graded it, else when staff release. */
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('quiz_attempts_number_key').on(t.tenantId, t.itemId, t.enrolmentId, t.number),
    index('quiz_attempts_open_idx').on(t.tenantId, t.deadlineAt).where(sql`status = 'in_progress'`),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.enrolmentId], foreignColumns: [enrolments.tenantId, enrolments.id] }).onDelete('cascade'),
    tenantIsolation('quiz_attempts'),
  ],
);

/** A learner's answer to one question of an attempt, saved as they go (autosave) and scored when graded. */
export const attemptAnswers = pgTable(
  'attempt_answers',
  {
    tenantId: tenantId(),
    attemptId: uuid('attempt_id').notNull(),
    questionId: uuid('question_id').notNull(),
    answer: jsonb('answer'),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
    score: numeric('score', { precision: 10, scale: 2, mode: 'number' }),
    correct: boolean('correct'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.attemptId, t.questionId] }),
    foreignKey({ columns: [t.tenantId, t.attemptId], foreignColumns: [quizAttempts.tenantId, quizAttempts.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.questionId], foreignColumns: [questions.tenantId, questions.id] }),
    tenantIsolation('attempt_answers'),
  ],
);

/** Per-learner accommodations on a quiz: extra minutes and extra attempts, granted by its instructors. */
export const accommodations = pgTable(
  'accommodations',
  {
    tenantId: tenantId(),
    itemId: uuid('item_id').notNull(),
    userId: uuid('user_id').notNull(),
    extraMinutes: integer('extra_minutes').notNull().default(0),
    extraAttempts: integer('extra_attempts').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.itemId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    tenantIsolation('accommodations'),
  ],
);
