import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanAuthor } from '@/lib/courses/permissions';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { isQuestionType, questionType } from './questions';

/**
 * A course's question bank: questions of any registered type, their definitions validated by the type
 * (answer keys included — only the course's authors ever read them here), JSON export and import.
 */

export type Question = typeof schema.questions.$inferSelect;

export const QuestionInput = z.object({
  type: z.string().max(40),
  promptHtml: z.string().max(20_000),
  points: z.coerce.number().min(0).max(1000),
  tags: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(20).default([]),
  definition: z.unknown(),
});
export type QuestionInput = z.input<typeof QuestionInput>;

export const BANK_FORMAT = 'lectern.question-bank.v1';
export const IMPORT_MAX_QUESTIONS = 2000;

type Checked = { type: string; promptHtml: string; points: number; tags: string[]; definition: Record<string, unknown> };
type Problem = { field: 'type' | 'promptHtml' | 'points' | 'tags' | 'definition'; message: string };

/** Validate one question without writing: the first problem, or the clean values (prompt sanitised). */
async function checkQuestion(raw: unknown): Promise<{ ok: true; value: Checked } | { ok: false; problem: Problem }> {
  const rawType = (raw as { type?: unknown } | null)?.type;
  if (typeof rawType !== 'string' || !isQuestionType(rawType)) return { ok: false, problem: { field: 'type', message: `unknown question type “${String(rawType).slice(0, 40)}”` } };
  const base = QuestionInput.safeParse(raw);
  if (!base.success) {
    const issue = base.error.issues[0]!;
    return { ok: false, problem: { field: (issue.path[0] as Problem['field']) ?? 'definition', message: issue.message } };
  }
  const { type, points, tags } = base.data;
  const promptHtml = await sanitizeRichText(base.data.promptHtml);
  if (!promptHtml.trim()) return { ok: false, problem: { field: 'promptHtml', message: 'the question needs a prompt' } };
  const definition = questionType(type).definition.safeParse(base.data.definition);
  if (!definition.success) {
    const issue = definition.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, problem: { field: 'definition', message: `${where}${issue.message}` } };
  }
  return { ok: true, value: { type, promptHtml, points, tags: [...new Set(tags)], definition: definition.data as Record<string, unknown> } };
}

async function checkedOrThrow(raw: unknown): Promise<Checked> {
  const checked = await checkQuestion(raw);
  if (!checked.ok) throw new ValidationError('questionInvalid', { field: checked.problem.field, params: { problem: checked.problem.message } });
  return checked.value;
}

async function findQuestion(tx: Tx, questionId: string): Promise<Question> {
  if (!z.uuid().safeParse(questionId).success) throw new NotFoundError('questionNotFound');
  const [q] = await tx.select().from(schema.questions).where(eq(schema.questions.id, questionId)).limit(1);
  if (!q) throw new NotFoundError('questionNotFound');
  return q;
}

export async function createQuestion(tx: Tx, ctx: MemberContext, courseId: string, raw: QuestionInput): Promise<Question> {
  await assertCanAuthor(tx, ctx, courseId);
  const value = await checkedOrThrow(raw);
  const [q] = await tx.insert(schema.questions).values({ tenantId: ctx.tenant.id, courseId, ...value }).returning();
  return q!;
}

export async function updateQuestion(tx: Tx, ctx: MemberContext, questionId: string, raw: QuestionInput): Promise<Question> {
  const existing = await findQuestion(tx, questionId);
  await assertCanAuthor(tx, ctx, existing.courseId);
  const value = await checkedOrThrow(raw);
  const [q] = await tx.update(schema.questions).set({ ...value, updatedAt: new Date() }).where(eq(schema.questions.id, questionId)).returning();
  return q!;
}

/** Take a question out of the bank; attempts that used it keep reading it. */
export async function archiveQuestion(tx: Tx, ctx: MemberContext, questionId: string): Promise<void> {
  const existing = await findQuestion(tx, questionId);
  await assertCanAuthor(tx, ctx, existing.courseId);
  await tx.update(schema.questions).set({ archivedAt: new Date() }).where(eq(schema.questions.id, questionId));
}

/** The bank for its authors (definitions included), optionally filtered by tag or type. */
export async function listQuestions(tx: Tx, ctx: MemberContext, courseId: string, filter: { tag?: string; type?: string } = {}): Promise<Question[]> {
  await assertCanAuthor(tx, ctx, courseId);
  const where = [eq(schema.questions.courseId, courseId), isNull(schema.questions.archivedAt)];
  if (filter.tag) where.push(sql`${schema.questions.tags} @> array[${filter.tag}]::text[]`);
  if (filter.type) where.push(eq(schema.questions.type, filter.type));
  return tx.select().from(schema.questions).where(and(...where)).orderBy(asc(schema.questions.createdAt), asc(schema.questions.id));
}

export type BankExport = { format: typeof BANK_FORMAT; questions: Checked[] };

/** The bank as portable JSON (no ids: importing creates new questions). */
export async function exportBank(tx: Tx, ctx: MemberContext, courseId: string): Promise<BankExport> {
  const rows = await listQuestions(tx, ctx, courseId);
  return { format: BANK_FORMAT, questions: rows.map((q) => ({ type: q.type, promptHtml: q.promptHtml, points: q.points, tags: q.tags, definition: q.definition })) };
}

export type ImportProblem = { index: number } & Problem;

const ImportFile = z.object({ format: z.literal(BANK_FORMAT), questions: z.array(z.unknown()).min(1).max(IMPORT_MAX_QUESTIONS) });

/**
 * Import a bank file: every question is checked first; if any has a problem, nothing is written and every
 * problem is returned with its position. Otherwise all are added in one statement.
 */
export async function importBank(tx: Tx, ctx: MemberContext, courseId: string, file: unknown): Promise<{ imported: number } | { problems: ImportProblem[] }> {
  await assertCanAuthor(tx, ctx, courseId);
  const parsed = ImportFile.safeParse(file);
  if (!parsed.success) throw new ValidationError('bankFileInvalid', { params: { format: BANK_FORMAT, limit: IMPORT_MAX_QUESTIONS } });
  const problems: ImportProblem[] = [];
  const values: Checked[] = [];
  for (const [index, raw] of parsed.data.questions.entries()) {
    const checked = await checkQuestion(raw);
    if (checked.ok) values.push(checked.value);
    else problems.push({ index, ...checked.problem });
  }
  if (problems.length) return { problems };
  await tx.insert(schema.questions).values(values.map((v) => ({ tenantId: ctx.tenant.id, courseId, ...v })));
  return { imported: values.length };
}
