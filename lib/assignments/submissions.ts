import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { RubricAssessment, SubmissionFile } from '@/db/schema/gradebook';
import type { MemberContext } from '@/lib/auth/context';
import { sanitizeRichText, richTextToPlain } from '@/lib/courses/sanitize';
import type { CourseItem } from '@/lib/courses/structure';
import { downloadName } from '@/lib/courses/kinds/uploaded-file';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import { countedScore } from '@/lib/gradebook/grades';
import { completeItem, openItemFor } from '@/lib/learning/player';
import { cutoffAt, lateDays, LIMITS, parseSubmissionUrl, penaltyPercent, type AssignmentContent } from './rules';

export type Submission = typeof schema.assignmentSubmissions.$inferSelect;

/** The assignment item behind an id, or not found (a quiz id is not an assignment). */
export function assignmentContent(item: CourseItem): AssignmentContent {
  if (item.kind !== 'assignment') throw new NotFoundError('itemNotFound');
  return item.content as AssignmentContent;
}

export const SubmitInput = z.object({
  /** The client's key for this submit (one per attempt to submit, reused on retry). */
  submitKey: z.string().trim().min(8).max(100),
  bodyHtml: z.string().optional().default(''),
  url: z.string().optional().default(''),
  files: z.array(z.object({ key: z.string().min(1).max(400), name: z.string().max(300) })).optional().default([]),
});
export type SubmitInput = z.input<typeof SubmitInput>;

/**
 * Hand in (a new version of) an assignment. Only the learner's own enrolment, only the types the author
 * allowed, never after the cut-off; a resubmission is version N+1 and nothing is ever overwritten. The same
 * submit key again (a retry, a double click) answers the version it made. Completes the item and emits
 * `lectern/assignment.submitted.v1` in the same transaction.
 */
export async function submitAssignment(tx: Tx, ctx: MemberContext, itemId: string, raw: SubmitInput, now = new Date()): Promise<Submission> {
  if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
  const input = SubmitInput.parse(raw);
  const { item, enrolment } = await openItemFor(tx, ctx, itemId, now);
  const content = assignmentContent(item);
  // One submit at a time per learner: versions are numbered under this lock.
  await tx.select({ id: schema.enrolments.id }).from(schema.enrolments).where(eq(schema.enrolments.id, enrolment.id)).for('update');
  const mine = and(eq(schema.assignmentSubmissions.itemId, item.id), eq(schema.assignmentSubmissions.enrolmentId, enrolment.id));
  const [same] = await tx.select().from(schema.assignmentSubmissions).where(and(mine, eq(schema.assignmentSubmissions.submitKey, input.submitKey))).limit(1);
  if (same) return same;

  const cutoff = cutoffAt(content);
  if (cutoff && now > cutoff) throw new ConflictError('assignmentClosed');
  const previous = await tx.select({ version: schema.assignmentSubmissions.version }).from(schema.assignmentSubmissions).where(mine);
  if (previous.length && !content.allowResubmission) throw new ConflictError('assignmentAlreadySubmitted');

  const allowed = new Set(content.submissionTypes);
  // Text: sanitised here; an editor's empty paragraph is no text.
  if (input.bodyHtml.length > LIMITS.bodyHtml) throw new ValidationError('submissionTextTooLong', { field: 'bodyHtml', params: { limit: LIMITS.bodyHtml } });
  const bodyHtml = input.bodyHtml.trim() ? await sanitizeRichText(input.bodyHtml) : '';
  const hasText = Boolean(bodyHtml && (await richTextToPlain(bodyHtml)));
  const url = parseSubmissionUrl(input.url);
  if (hasText && !allowed.has('text')) throw new ValidationError('submissionTypeNotAllowed', { field: 'bodyHtml' });
  if (url && !allowed.has('url')) throw new ValidationError('submissionTypeNotAllowed', { field: 'url' });
  if (input.files.length && !allowed.has('file')) throw new ValidationError('submissionTypeNotAllowed', { field: 'files' });
  if (input.files.length > LIMITS.files) throw new ValidationError('submissionTooManyFiles', { field: 'files', params: { limit: LIMITS.files } });
  const files = await submissionFiles(tx, ctx, item.courseId, input.files);
  if (!hasText && !url && !files.length) throw new ValidationError('submissionEmpty', { field: allowed.has('text') ? 'bodyHtml' : allowed.has('file') ? 'files' : 'url' });

  const [created] = await tx
    .insert(schema.assignmentSubmissions)
    .values({
      tenantId: ctx.tenant.id,
      itemId: item.id,
      enrolmentId: enrolment.id,
      version: Math.max(0, ...previous.map((p) => p.version)) + 1,
      bodyHtml: hasText ? bodyHtml : null,
      url,
      files,
      submittedAt: now,
      lateDays: lateDays(content.dueAt, now),
      submitKey: input.submitKey,
    })
    .returning();
  await emit(tx, ctx.tenant.id, 'lectern/assignment.submitted.v1', {
    submissionId: created!.id,
    itemId: item.id,
    courseId: item.courseId,
    enrolmentId: enrolment.id,
    userId: ctx.user.id,
    version: created!.version,
    lateDays: created!.lateDays,
    submittedAt: now.toISOString(),
  });
  await completeItem(tx, ctx, enrolment, item, now);
  return created!;
}

/**
 * The files a learner names, each one they uploaded themselves as a submission to this course (knowing
 * another upload's key is not enough), with a safe download name.
 */
async function submissionFiles(tx: Tx, ctx: MemberContext, courseId: string, refs: { key: string; name: string }[]): Promise<SubmissionFile[]> {
  if (!refs.length) return [];
  const keys = [...new Set(refs.map((r) => r.key))];
  const rows = await tx
    .select({ key: schema.files.key, size: schema.files.size, sha256: schema.files.sha256, contentType: schema.files.contentType })
    .from(schema.files)
    .innerJoin(
      schema.fileUploads,
      and(
        eq(schema.fileUploads.tenantId, schema.files.tenantId),
        eq(schema.fileUploads.key, schema.files.key),
        eq(schema.fileUploads.userId, ctx.user.id),
        eq(schema.fileUploads.purpose, 'submission'),
        eq(schema.fileUploads.courseId, courseId),
      ),
    )
    .where(and(eq(schema.files.tenantId, ctx.tenant.id), inArray(schema.files.key, keys)));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.map((key) => {
    const row = byKey.get(key);
    if (!row) throw new ValidationError('fileRequired', { field: 'files' });
    if (row.size > LIMITS.fileBytes) throw new ValidationError('submissionFileTooBig', { field: 'files', params: { limit: LIMITS.fileBytes / 1024 / 1024 } });
    const name = refs.find((r) => r.key === key)!.name;
    return { fileId: row.sha256, key: row.key, name: downloadName(name, row.key), size: row.size, contentType: row.contentType };
  });
}

export type SubmissionView = Pick<Submission, 'id' | 'version' | 'bodyHtml' | 'url' | 'files' | 'submittedAt' | 'lateDays'> & { penaltyPercent: number };

export type ReleasedGrade = {
  score: number | null;
  rawScore: number | null;
  latePenalty: number;
  pointsPossible: number;
  excused: boolean;
  overridden: boolean;
  submissionVersion: number | null;
  rubric: RubricAssessment | null;
  comment: string | null;
  releasedAt: Date;
};

export function toView(s: Submission, content: AssignmentContent): SubmissionView {
  return { id: s.id, version: s.version, bodyHtml: s.bodyHtml, url: s.url, files: s.files, submittedAt: s.submittedAt, lateDays: s.lateDays, penaltyPercent: penaltyPercent(content.latePenaltyPercent, s.lateDays) };
}

/**
 * The learner's own submissions to an assignment (newest first) and their grade, but the grade only once
 * staff have released it. Nobody else's submissions are ever read here.
 */
export async function mySubmissions(tx: Tx, ctx: MemberContext, itemId: string, now = new Date()): Promise<{ courseId: string; versions: SubmissionView[]; grade: ReleasedGrade | null }> {
  if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
  const { item, enrolment } = await openItemFor(tx, ctx, itemId, now);
  const content = assignmentContent(item);
  const [rows, [grade]] = await Promise.all([
    tx
      .select()
      .from(schema.assignmentSubmissions)
      .where(and(eq(schema.assignmentSubmissions.itemId, item.id), eq(schema.assignmentSubmissions.enrolmentId, enrolment.id)))
      .orderBy(asc(schema.assignmentSubmissions.version)),
    tx
      .select()
      .from(schema.grades)
      .where(and(eq(schema.grades.itemId, item.id), eq(schema.grades.enrolmentId, enrolment.id)))
      .limit(1),
  ]);
  const released: ReleasedGrade | null =
    grade?.releasedAt
      ? {
          score: countedScore(grade),
          rawScore: grade.rawScore,
          latePenalty: grade.latePenalty,
          pointsPossible: grade.pointsPossible,
          excused: grade.excused,
          overridden: grade.overrideScore !== null,
          submissionVersion: grade.submissionVersion,
          rubric: grade.rubric,
          comment: grade.comment,
          releasedAt: grade.releasedAt,
        }
      : null;
  return { courseId: item.courseId, versions: rows.reverse().map((s) => toView(s, content)), grade: released };
}
