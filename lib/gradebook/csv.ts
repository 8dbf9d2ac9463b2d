import Papa from 'papaparse';

/**
 * CSV in and out of the gradebook. Export cells are escaped against formula injection (OWASP): a cell
 * that starts with = + - @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows
 * it as text instead of running it. Import reads the same shape back (and undoes that escape).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell made safe to open in a spreadsheet. Numbers are written as they are (scores are never negative). */
export function escapeCsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undo escapeCsvCell for a cell read back from a file we wrote. */
export function unescapeCsvCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** A header row and data rows as CSV text (CRLF, quoted where needed, every cell escaped). */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return Papa.unparse({ fields: header.map(escapeCsvCell), data: rows.map((r) => r.map(escapeCsvCell)) }, { newline: '\r\n', quotes: false });
}

/** The export's own columns besides the items: never given to an item, so an import cannot mistake them. */
export function computedHeaders(categoryNames: string[]): string[] {
  return ['Name', 'Email', ...categoryNames.map((n) => `${n} %`), 'Uncategorised %', 'Total %', 'Letter'];
}

/**
 * Column headers for items: the title, made unique within the course and against the computed columns
 * (`Quiz 1`, `Quiz 1 (2)`; an item called `Total %` becomes `Total % (2)`), so the import finds each column
 * again and only that one.
 */
export function itemHeaders(items: { id: string; title: string }[], reserved: string[] = []): Map<string, string> {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  const out = new Map<string, string>();
  for (const item of items) {
    const base = item.title.trim() || 'Item';
    let header = base;
    for (let n = 2; taken.has(header.toLowerCase()); n += 1) header = `${base} (${n})`;
    taken.add(header.toLowerCase());
    out.set(item.id, header);
  }
  return out;
}

/** Formats a score for the file: up to two decimals, no trailing zeros. */
export function csvNumber(n: number | null): string {
  if (n === null) return '';
  return String(Math.round(n * 100) / 100);
}

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

export type ParsedCsv = { header: string[]; rows: { line: number; cells: string[] }[] };
export type CsvReadProblem = 'gradeImportTooLarge' | 'gradeImportTooManyRows' | 'gradeImportMalformed' | 'gradeImportEmpty' | 'gradeImportNoEmail';

export class CsvReadError extends Error {
  constructor(
    readonly code: CsvReadProblem,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

/**
 * Parse an uploaded grades file. Refuses (nothing is read further) a file over the size or row limit, one
 * papaparse finds malformed (unclosed quotes, rows with the wrong number of fields), one with no rows, or
 * one without an email column. Blank lines are skipped; each row keeps its line number (header = line 1).
 */
export function parseGradesCsv(text: string): ParsedCsv {
  if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) throw new CsvReadError('gradeImportTooLarge', { mb: IMPORT_MAX_BYTES / 1024 / 1024 });
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false });
  // A one-column file has no delimiter to detect: that is not an error (the comma is assumed).
  const fatal = result.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (fatal) throw new CsvReadError('gradeImportMalformed', { line: (fatal.row ?? 0) + 1 });
  const data = result.data;
  const [rawHeader, ...rest] = data;
  if (!rawHeader || rawHeader.every((h) => !h.trim())) throw new CsvReadError('gradeImportEmpty');
  const header = rawHeader.map((h) => unescapeCsvCell(h.trim()));
  if (!header.some((h) => h.toLowerCase() === 'email')) throw new CsvReadError('gradeImportNoEmail');
  const rows: ParsedCsv['rows'] = [];
  for (let i = 0; i < rest.length; i++) {
    const cells = rest[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length !== header.length) throw new CsvReadError('gradeImportMalformed', { line: i + 2 });
    rows.push({ line: i + 2, cells });
    if (rows.length > IMPORT_MAX_ROWS) throw new CsvReadError('gradeImportTooManyRows', { limit: IMPORT_MAX_ROWS });
  }
  if (!rows.length) throw new CsvReadError('gradeImportEmpty');
  return { header, rows };
}
