import { boolean, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courseItems, courses, enrolments } from './courses';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/**
 * A course's gradebook categories ("Quizzes 40 %, Assignments 60 %"). Items point at a category through
 * `course_items.grade_category_id`; `drop_lowest` drops that many of a learner's lowest scores in it.
 */
export const gradeCategories = pgTable(
  'grade_categories',
  {
    tenantId: tenantId(),
    id: id(),
    courseId: uuid('course_id').notNull(),
    name: text('name').notNull(),
    weight: numeric('weight', { precision: 6, scale: 2, mode: 'number' }).notNull().default(0),
    dropLowest: integer('drop_lowest').notNull().default(0),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('grade_categories_course_idx').on(t.tenantId, t.courseId, t.position),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('cascade'),
    tenantIsolation('grade_categories'),
  ],
);

export type SubmissionFile = { fileId: string; key: string; name: string; size: number; contentType: string };

/**
 * One version of a learner's submission to an assignment item. Resubmitting adds a version; none is ever
 * overwritten. `late_days` is fixed at submission from the assignment's due date (0 = on time).
 */
export const assignmentSubmissions = pgTable(
  'assignment_submissions',
  {
    tenantId: tenantId(),
    id: id(),
    itemId: uuid('item_id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    version: integer('version').notNull(),
    bodyHtml: text('body_html'),
    url: text('url'),
    files: jsonb('files').$type<SubmissionFile[]>().notNull().default([]),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    lateDays: integer('late_days').notNull().default(0),
    /** The client's key for this submit: a retried or doubled submit is the same version. */
    submitKey: text('submit_key'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assignment_submissions_version_key').on(t.tenantId, t.itemId, t.enrolmentId, t.version),
    uniqueIndex('assignment_submissions_submit_key').on(t.tenantId, t.itemId, t.enrolmentId, t.submitKey),
    index('assignment_submissions_item_idx').on(t.tenantId, t.itemId, t.submittedAt),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.enrolmentId], foreignColumns: [enrolments.tenantId, enrolments.id] }).onDelete('cascade'),
    tenantIsolation('assignment_submissions'),
  ],
);

/** A rubric assessment: for each criterion id, the level chosen (or a points value) and a comment. */
export type RubricAssessment = Record<string, { levelId: string | null; points: number; comment?: string }>;

/**
 * The gradebook's cell: one learner's grade on one gradable item (quiz or assignment). Automatic grades
 * (a quiz's kept attempt) and hand grades (rubric, essay) land in `score`; `override_score` is a person's
 * override with a reason; an excused cell counts for nothing. The counted value is
 * `case when excused then null else coalesce(override_score, score) end`. Learners see a cell only once
 * `released_at` is set. Every change of the counted value is written to `grade_changes`.
 */
export const grades = pgTable(
  'grades',
  {
    tenantId: tenantId(),
    itemId: uuid('item_id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    /** Before any late penalty (a rubric's total, a quiz attempt's score). */
    rawScore: numeric('raw_score', { precision: 10, scale: 2, mode: 'number' }),
    latePenalty: numeric('late_penalty', { precision: 10, scale: 2, mode: 'number' }).notNull().default(0),
    /** raw_score − late_penalty, floored at 0. */
    score: numeric('score', { precision: 10, scale: 2, mode: 'number' }),
    pointsPossible: numeric('points_possible', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    overrideScore: numeric('override_score', { precision: 10, scale: 2, mode: 'number' }),
    overrideReason: text('override_reason'),
    excused: boolean('excused').notNull().default(false),
    /** The quiz attempt that counts, or the submission version that was graded. */
    attemptId: uuid('attempt_id'),
    submissionVersion: integer('submission_version'),
    rubric: jsonb('rubric').$type<RubricAssessment>(),
    comment: text('comment'),
    gradedBy: uuid('graded_by'),
    gradedAt: timestamp('graded_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.itemId, t.enrolmentId] }),
    index('grades_enrolment_idx').on(t.tenantId, t.enrolmentId),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.enrolmentId], foreignColumns: [enrolments.tenantId, enrolments.id] }).onDelete('cascade'),
    tenantIsolation('grades'),
  ],
);

/** What changed a counted grade. */
export type GradeChangeKind = 'auto' | 'manual' | 'override' | 'excused' | 'import' | 'regrade';

/** Append-only history of every change to a counted grade: who (null = automatic), when, old → new. */
export const gradeChanges = pgTable(
  'grade_changes',
  {
    tenantId: tenantId(),
    id: id(),
    itemId: uuid('item_id').notNull(),
    enrolmentId: uuid('enrolment_id').notNull(),
    oldScore: numeric('old_score', { precision: 10, scale: 2, mode: 'number' }),
    newScore: numeric('new_score', { precision: 10, scale: 2, mode: 'number' }),
    oldExcused: boolean('old_excused').notNull().default(false),
    newExcused: boolean('new_excused').notNull().default(false),
    pointsPossible: numeric('points_possible', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    kind: text('kind').$type<GradeChangeKind>().notNull(),
    actorId: uuid('actor_id'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('grade_changes_cell_idx').on(t.tenantId, t.itemId, t.enrolmentId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [courseItems.tenantId, courseItems.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.enrolmentId], foreignColumns: [enrolments.tenantId, enrolments.id] }).onDelete('cascade'),
    tenantIsolation('grade_changes'),
  ],
);
