import Papa from 'papaparse';
import type { CourseRole } from '@/lib/courses/permissions';
import { ValidationError } from '@/lib/errors';
import { unescapeCsvCell } from '@/lib/gradebook/csv';
import { EmailSchema, NameSchema } from '@/lib/schemas';

/**
 * Reading an import file, without the database: the columns, the size limits, and each row turned into a
 * normalised row or its problems. Pure, so the rules are unit-tested; lib/imports/plan.ts checks rows
 * against the organisation's data.
 */

export const IMPORT_KINDS = ['users', 'enrolments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The biggest organisations (100k learners) import in files of at most this size. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 50_000;
export const SIS_ID_MAX = 100;

export const COLUMNS: Record<ImportKind, readonly string[]> = {
  users: ['email', 'name', 'role', 'sis_id'],
  enrolments: ['email', 'user_sis_id', 'course', 'role', 'sis_id'],
};

/** Problem codes (messages in `imports.problems`). Stored in bulk_imports.errors as `message`. */
export type RowProblem =
  | 'cellCount'
  | 'emailMissing'
  | 'emailInvalid'
  | 'nameMissing'
  | 'nameTooLong'
  | 'roleUnknown'
  | 'courseRoleUnknown'
  | 'ownerRole'
  | 'ownerChange'
  | 'ownRoleChange'
  | 'sisTooLong'
  | 'duplicateEmail'
  | 'duplicateSis'
  | 'sisTaken'
  | 'memberDeactivated'
  | 'personMissing'
  | 'unknownPerson'
  | 'personMismatch'
  | 'courseMissing'
  | 'unknownCourse'
  | 'duplicateEnrolment'
  | 'enrolmentSisTaken'
  | 'courseFull'
  | 'lastInstructor'
  | 'noSeatLeft'
  | 'orgOverSeats'
  | 'changedMeanwhile'
  | 'importerGone';

/** One problem of one row: `field` is the column it is about; `apply` marks a row that failed while importing. */
export type RowError = { line: number; field: string; message: RowProblem; params?: Record<string, string | number>; apply?: true };

export type OrgRole = 'learner' | 'instructor' | 'admin';

/** A users-file row as stored: a null cell leaves the member's current value as it is (new people: learner). */
export type UserRow = { line: number; email: string; name: string | null; role: OrgRole | null; sisId: string | null };
/** An enrolments-file row as stored: `course` is a slug (lower case) or `sis:<id>`. */
export type EnrolmentRow = { line: number; email: string | null; userSisId: string | null; course: string; role: CourseRole | null; sisId: string | null };

export type ParsedFile = { header: string[]; records: { line: number; cells: Record<string, string> }[]; cellErrors: RowError[] };

const ORG_ROLES: Record<string, OrgRole | 'owner'> = {
  learner: 'learner',
  student: 'learner',
  instructor: 'instructor',
  teacher: 'instructor',
  admin: 'admin',
  administrator: 'admin',
  owner: 'owner',
};

const COURSE_ROLES: Record<string, CourseRole> = {
  learner: 'learner',
  student: 'learner',
  ta: 'ta',
  'teaching assistant': 'ta',
  assistant: 'ta',
  instructor: 'instructor',
  teacher: 'instructor',
};

/**
 * Parse a file. Refused whole (ValidationError, nothing checked) when it is too large, unreadable, has no
 * rows, too many rows, or columns that are missing, repeated or unknown — an unknown column is refused
 * rather than ignored, so a misspelt `sis_id` cannot silently import nothing. Blank lines are skipped;
 * `line` is the row's number as a spreadsheet shows it (header = 1). A row with the wrong number of
 * cells is a row problem, not a reason to refuse the file.
 */
export function parseImportFile(kind: ImportKind, text: string): ParsedFile {
  const mb = IMPORT_MAX_BYTES / 1024 / 1024;
  if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) throw new ValidationError('importTooLarge', { field: 'file', params: { mb } });
  const body = text.replace(/^\uFEFF/, '');
  const result = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false, delimiter: delimiterOf(body) });
  const fatal = result.errors[0];
  if (fatal) throw new ValidationError('importMalformed', { field: 'file', params: { line: (fatal.row ?? 0) + 1 } });
  const [rawHeader, ...rest] = result.data;
  if (!rawHeader || rawHeader.every((h) => !h.trim())) throw new ValidationError('importEmpty', { field: 'file' });
  const header = rawHeader.map((h) => unescapeCsvCell(h.trim()).toLowerCase());
  const allowed = COLUMNS[kind];
  const seen = new Set<string>();
  for (const h of header) {
    if (!allowed.includes(h)) throw new ValidationError('importUnknownColumn', { field: 'file', params: { column: h || '(empty)', columns: allowed.join(', ') } });
    if (seen.has(h)) throw new ValidationError('importDuplicateColumn', { field: 'file', params: { column: h } });
    seen.add(h);
  }
  if (kind === 'users' && !seen.has('email')) throw new ValidationError('importMissingColumn', { field: 'file', params: { column: 'email' } });
  if (kind === 'enrolments') {
    if (!seen.has('email') && !seen.has('user_sis_id')) throw new ValidationError('importMissingPersonColumn', { field: 'file' });
    if (!seen.has('course')) throw new ValidationError('importMissingColumn', { field: 'file', params: { column: 'course' } });
  }
  const records: ParsedFile['records'] = [];
  const cellErrors: RowError[] = [];
  for (let i = 0; i < rest.length; i++) {
    const cells = rest[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    const line = i + 2;
    if (records.length + cellErrors.length >= IMPORT_MAX_ROWS) throw new ValidationError('importTooManyRows', { field: 'file', params: { limit: IMPORT_MAX_ROWS } });
    if (cells.length !== header.length) {
      cellErrors.push({ line, field: 'file', message: 'cellCount', params: { cells: cells.length, expected: header.length } });
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((h, j) => (record[h] = unescapeCsvCell((cells[j] ?? '').trim())));
    records.push({ line, cells: record });
  }
  if (!records.length && !cellErrors.length) throw new ValidationError('importEmpty', { field: 'file' });
  return { header, records, cellErrors };
}

/**
 * The separator, from the header line: spreadsheets in many locales save CSV with semicolons (or tabs).
 * Papaparse's own guess needs several consistent lines and fails on short files.
 */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  const [best] = counts.sort((a, b) => b[1] - a[1]);
  return best![1] > 0 ? best![0] : ',';
}

function sisOf(value: string | undefined, line: number, field: string, errors: RowError[]): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  if (v.length > SIS_ID_MAX) {
    errors.push({ line, field, message: 'sisTooLong', params: { max: SIS_ID_MAX } });
    return null;
  }
  return v;
}

/** A users-file record as a row, or its problems (every problem of the row, not only the first). */
export function normaliseUserRecord(line: number, cells: Record<string, string>): { row: UserRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const rawEmail = cells.email ?? '';
  const email = EmailSchema.safeParse(rawEmail);
  if (!rawEmail) errors.push({ line, field: 'email', message: 'emailMissing' });
  else if (!email.success) errors.push({ line, field: 'email', message: 'emailInvalid', params: { value: rawEmail.slice(0, 80) } });
  let name: string | null = null;
  if (cells.name) {
    const parsed = NameSchema.safeParse(cells.name);
    if (parsed.success) name = parsed.data;
    else errors.push({ line, field: 'name', message: 'nameTooLong', params: { max: 120 } });
  }
  let role: OrgRole | null = null;
  const rawRole = (cells.role ?? '').toLowerCase();
  if (rawRole) {
    const r = ORG_ROLES[rawRole];
    if (r === 'owner') errors.push({ line, field: 'role', message: 'ownerRole' });
    else if (!r) errors.push({ line, field: 'role', message: 'roleUnknown', params: { value: (cells.role ?? '').slice(0, 40) } });
    else role = r;
  }
  const sisId = sisOf(cells.sis_id, line, 'sis_id', errors);
  if (errors.length || !email.success) return { errors };
  return { row: { line, email: email.data, name, role, sisId } };
}

/** An enrolments-file record as a row, or its problems. */
export function normaliseEnrolmentRecord(line: number, cells: Record<string, string>): { row: EnrolmentRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  let email: string | null = null;
  if (cells.email) {
    const parsed = EmailSchema.safeParse(cells.email);
    if (parsed.success) email = parsed.data;
    else errors.push({ line, field: 'email', message: 'emailInvalid', params: { value: cells.email.slice(0, 80) } });
  }
  const userSisId = sisOf(cells.user_sis_id, line, 'user_sis_id', errors);
  if (!cells.email && !cells.user_sis_id) errors.push({ line, field: 'email', message: 'personMissing' });
  let course = (cells.course ?? '').trim();
  if (!course) errors.push({ line, field: 'course', message: 'courseMissing' });
  else if (/^sis:/i.test(course)) {
    const id = course.slice(4).trim();
    if (!id) errors.push({ line, field: 'course', message: 'courseMissing' });
    else if (id.length > SIS_ID_MAX) errors.push({ line, field: 'course', message: 'sisTooLong', params: { max: SIS_ID_MAX } });
    course = `sis:${id}`;
  } else if (course.length > 200) errors.push({ line, field: 'course', message: 'unknownCourse', params: { value: course.slice(0, 80) } });
  else course = course.toLowerCase();
  let role: CourseRole | null = null;
  const rawRole = (cells.role ?? '').toLowerCase();
  if (rawRole) {
    role = COURSE_ROLES[rawRole] ?? null;
    if (!role) errors.push({ line, field: 'role', message: 'courseRoleUnknown', params: { value: (cells.role ?? '').slice(0, 40) } });
  }
  const sisId = sisOf(cells.sis_id, line, 'sis_id', errors);
  if (errors.length) return { errors };
  return { row: { line, email, userSisId, course, role, sisId } };
}

/**
 * Rows that repeat an earlier row's key (first occurrence wins): a person twice in a users file, or one
 * SIS id given to two rows. Returns the rows that stay and the problems of the others.
 */
export function dropDuplicates<R extends { line: number }>(rows: R[], keys: { field: string; problem: RowProblem; key: (r: R) => string | null }[]): { rows: R[]; errors: RowError[] } {
  const firstLine = keys.map(() => new Map<string, number>());
  const kept: R[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const mine: RowError[] = [];
    keys.forEach((k, i) => {
      const key = k.key(row);
      if (key === null) return;
      const first = firstLine[i]!.get(key);
      if (first !== undefined) mine.push({ line: row.line, field: k.field, message: k.problem, params: { line: first } });
    });
    if (mine.length) {
      errors.push(...mine);
      continue;
    }
    keys.forEach((k, i) => {
      const key = k.key(row);
      if (key !== null) firstLine[i]!.set(key, row.line);
    });
    kept.push(row);
  }
  return { rows: kept, errors };
}

/** A template file for a kind: the header and two example rows. */
export function templateCsv(kind: ImportKind): string {
  const rows =
    kind === 'users'
      ? [COLUMNS.users, ['ada@example.com', 'Ada Lovelace', 'learner', 'S-1001'], ['grace@example.com', 'Grace Hopper', 'instructor', '']]
      : [COLUMNS.enrolments, ['ada@example.com', '', 'intro-to-computing', 'learner', ''], ['', 'S-1001', 'sis:CS-101', 'learner', 'E-2024-1']];
  return `${Papa.unparse(rows as string[][], { newline: '\r\n' })}\r\n`;
}

/** Spreadsheet apps run a cell that starts with = + - @ (or a tab / carriage return) as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Problems as a CSV file (line, column, problem), every cell safe to open in a spreadsheet. */
export function errorsCsv(errors: RowError[], headers: [string, string, string], message: (e: RowError) => string): string {
  return `${Papa.unparse({ fields: headers, data: errors.map((e) => [e.line, e.field, message(e)]) }, { escapeFormulae: FORMULA_START, newline: '\r\n' })}\r\n`;
}
