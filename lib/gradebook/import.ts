import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit } from '@/lib/audit/service';
import { assertCanTeach } from '@/lib/courses/permissions';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { loadCategories, loadCells, loadGradebookItems, type Cell, type GradebookItem } from './compute';
import { computedHeaders, CsvReadError, itemHeaders, parseGradesCsv, unescapeCsvCell } from './csv';
import { writeGrade } from './grades';

/**
 * Manual grades from a CSV file shaped like the export: an `email` column and one column per item (its
 * title as the export writes it). Checking writes nothing and lists every change (old → new) and every
 * problem; committing re-checks the same file on the server and writes all its changes in the caller's one
 * transaction, through writeGrade (kind 'import'). A value equal to what the cell counts now is no change,
 * so importing a file twice (or an unedited export) changes nothing.
 */

export const IMPORT_REASON = 'CSV import';

export type ImportValue = number | 'EX' | null;
export type ImportChange = { line: number; email: string; name: string; enrolmentId: string; itemId: string; item: string; old: ImportValue; new: number | 'EX' };
export type ImportProblem = 'unknownLearner' | 'duplicateLearner' | 'notNumber' | 'negative' | 'abovePoints' | 'pointsUnknown';
export type ImportError = { line: number; email: string; item: string | null; value: string; problem: ImportProblem; points?: number };

export type ImportCheck = {
  rows: number;
  changes: ImportChange[];
  unchanged: number;
  errors: ImportError[];
  /** Columns the file has that the import does not read: computed ones (name, categories, total, letter) and unknown ones. */
  ignoredColumns: string[];
  unknownColumns: string[];
  /** Identifies this exact set of changes: the commit refuses if the grades moved since the preview. */
  fingerprint: string;
};

const COMPUTED = /^(name|total %|total|letter|.+ %)$/i;

function oldValue(cell: Cell | undefined): ImportValue {
  if (!cell) return null;
  return cell.excused ? 'EX' : cell.counted;
}

async function analyse(tx: Tx, courseId: string, text: string) {
  let parsed;
  try {
    parsed = parseGradesCsv(text);
  } catch (e) {
    if (e instanceof CsvReadError) throw new ValidationError(e.code, { field: 'file', params: e.params });
    throw e;
  }
  const [items, categories] = await Promise.all([loadGradebookItems(tx, courseId), loadCategories(tx, courseId)]);
  const headers = itemHeaders(items, computedHeaders(categories.map((c) => c.name)));
  const itemByHeader = new Map<string, GradebookItem>();
  for (const item of items) itemByHeader.set(headers.get(item.id)!.toLowerCase(), item);
  const emailCol = parsed.header.findIndex((h) => h.toLowerCase() === 'email');
  const columns: { index: number; item: GradebookItem; header: string }[] = [];
  const ignoredColumns: string[] = [];
  const unknownColumns: string[] = [];
  parsed.header.forEach((h, index) => {
    if (index === emailCol) return;
    const item = itemByHeader.get(h.toLowerCase());
    // Two columns for one item: which one is meant? Refused rather than guessed.
    if (item && columns.some((c) => c.item.id === item.id)) throw new ValidationError('gradeImportDuplicateColumn', { field: 'file', params: { column: h } });
    if (item) columns.push({ index, item, header: headers.get(item.id)! });
    else if (COMPUTED.test(h)) ignoredColumns.push(h);
    else unknownColumns.push(h);
  });

  const learners = await tx.execute<{ id: string; email: string; name: string }>(sql`
    select e.id, u.email, u.name from enrolments e join users u on u.id = e.user_id
    where e.course_id = ${courseId} and e.role = 'learner' and e.status = 'active'`);
  const byEmail = new Map(learners.map((l) => [l.email.toLowerCase(), l]));
  const cells = await loadCells(tx, courseId, 'all');
  const cellOf = new Map(cells.map((c) => [`${c.enrolmentId}:${c.itemId}`, c]));

  const changes: ImportChange[] = [];
  const errors: ImportError[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const row of parsed.rows) {
    const email = unescapeCsvCell((row.cells[emailCol] ?? '').trim()).toLowerCase();
    const learner = byEmail.get(email);
    if (!learner) {
      errors.push({ line: row.line, email, item: null, value: '', problem: 'unknownLearner' });
      continue;
    }
    if (seen.has(learner.id)) {
      errors.push({ line: row.line, email, item: null, value: '', problem: 'duplicateLearner' });
      continue;
    }
    seen.add(learner.id);
    for (const col of columns) {
      const raw = unescapeCsvCell((row.cells[col.index] ?? '').trim());
      if (raw === '' || raw === '–' || raw === '—') continue;
      const cell = cellOf.get(`${learner.id}:${col.item.id}`);
      const old = oldValue(cell);
      const base = { line: row.line, email, item: col.header, value: raw.slice(0, 40) };
      let next: number | 'EX';
      if (raw.toUpperCase() === 'EX') {
        next = 'EX';
      } else {
        if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(raw)) {
          errors.push({ ...base, problem: 'notNumber' });
          continue;
        }
        const n = Number(raw);
        const points = cell?.pointsPossible ?? col.item.pointsPossible;
        if (n < 0) {
          errors.push({ ...base, problem: 'negative' });
          continue;
        }
        if (points === null) {
          errors.push({ ...base, problem: 'pointsUnknown' });
          continue;
        }
        if (n > points) {
          errors.push({ ...base, problem: 'abovePoints', points });
          continue;
        }
        next = Math.round(n * 100) / 100;
      }
      if (next === old) {
        unchanged += 1;
        continue;
      }
      changes.push({ line: row.line, email, name: learner.name, enrolmentId: learner.id, itemId: col.item.id, item: col.header, old, new: next });
    }
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(changes.map((c) => [c.enrolmentId, c.itemId, c.old, c.new])))
    .digest('hex');
  return { check: { rows: parsed.rows.length, changes, unchanged, errors, ignoredColumns, unknownColumns, fingerprint } satisfies ImportCheck, items, cellOf };
}

async function courseOf(tx: Tx, courseId: string) {
  const [course] = await tx.select().from(schema.courses).where(eq(schema.courses.id, courseId)).limit(1);
  if (!course) throw new NotFoundError('courseNotFound');
  return course;
}

/** Check a file: the changes it would make and its problems. Writes nothing. Course staff only. */
export async function checkGradeImport(tx: Tx, ctx: MemberContext, courseId: string, text: string): Promise<ImportCheck> {
  const course = await courseOf(tx, courseId);
  await assertCanTeach(tx, ctx, course.id);
  return (await analyse(tx, course.id, text)).check;
}

/**
 * Write the file's changes: quiz cells get an override (reason "CSV import"); assignment cells get the
 * value as their graded score (no late penalty: the importer's number is final), or an override when they
 * already have one; "EX" excuses. All in the caller's transaction: any failure writes nothing.
 */
export async function commitGradeImport(tx: Tx, ctx: MemberContext, courseId: string, text: string, fingerprint: string) {
  const course = await courseOf(tx, courseId);
  await assertCanTeach(tx, ctx, course.id);
  const { check, items, cellOf } = await analyse(tx, course.id, text);
  if (check.fingerprint !== fingerprint) throw new ConflictError('gradeImportStale');
  if (!check.changes.length) throw new ValidationError('gradeImportNothing');
  const kindOf = new Map(items.map((i) => [i.id, i]));
  const actor = { userId: ctx.user.id, kind: 'import' as const, reason: IMPORT_REASON };
  let changed = 0;
  for (const c of check.changes) {
    const item = kindOf.get(c.itemId)!;
    const cell = cellOf.get(`${c.enrolmentId}:${c.itemId}`);
    const pointsPossible = cell?.pointsPossible ?? item.pointsPossible!;
    const base = { itemId: c.itemId, enrolmentId: c.enrolmentId, pointsPossible };
    let result;
    if (c.new === 'EX') result = await writeGrade(tx, ctx.tenant.id, { ...base, excused: true }, actor);
    else if (item.kind === 'assignment' && (cell?.overrideScore ?? null) === null) {
      result = await writeGrade(tx, ctx.tenant.id, { ...base, rawScore: c.new, latePenalty: 0, excused: false }, actor);
    } else result = await writeGrade(tx, ctx.tenant.id, { ...base, overrideScore: c.new, overrideReason: IMPORT_REASON, excused: false }, actor);
    if (result.changed) changed += 1;
  }
  await recordAudit(tx, ctx, { action: 'gradebook.imported', targetType: 'course', targetId: course.id, targetLabel: course.title, after: { changes: changed, errorsSkipped: check.errors.length } });
  return { changed, skipped: check.errors.length };
}
