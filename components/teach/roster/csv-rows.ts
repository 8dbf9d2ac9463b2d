import Papa from 'papaparse';
import type { ImportRow, RowCheck, RowProblem } from '@/lib/enrolment/import';

/** Bytes read per step: small enough that a large file moves the progress bar, large enough to stay fast. */
const READ_CHUNK_BYTES = 64 * 1024;

export type CsvProblem = 'csvNoEmailColumn' | 'csvEmpty' | 'csvTooManyRows';

export class CsvFileError extends Error {
  constructor(
    readonly code: CsvProblem,
    readonly params: Record<string, number> = {},
  ) {
    super(code);
  }
}

export class CsvCancelled extends Error {}

/**
 * Read an enrolment file in the browser, a chunk at a time. The header row must name an `email` column
 * (any case); `role` is optional. Each row keeps its line in the file (the header is line 1), so the
 * preview can point at it: blank lines are skipped here rather than by the parser, which would lose count.
 * Rows past `maxRows` are counted, not kept, so the error can say how many there are.
 */
export function readCsvRows(file: File, opts: { maxRows: number; onProgress: (fraction: number) => void; cancelled: () => boolean }): Promise<ImportRow[]> {
  return new Promise((resolve, reject) => {
    const rows: ImportRow[] = [];
    let index = 0;
    let count = 0;
    let read = 0;
    let failure: Error | null = null;
    let checkedHeader = false;
    Papa.parse<Record<string, unknown>>(file, {
      header: true,
      skipEmptyLines: false,
      transformHeader: (h) => h.trim().toLowerCase(),
      chunkSize: READ_CHUNK_BYTES,
      chunk(results, parser) {
        if (opts.cancelled()) {
          failure = new CsvCancelled();
          parser.abort();
          return;
        }
        if (!checkedHeader) {
          checkedHeader = true;
          if (!(results.meta.fields ?? []).includes('email')) {
            failure = new CsvFileError('csvNoEmailColumn');
            parser.abort();
            return;
          }
        }
        for (const record of results.data) {
          const line = index + 2;
          index += 1;
          if (Object.values(record).every((v) => String(v ?? '').trim() === '')) continue;
          count += 1;
          // The server refuses longer cells outright; cut here so one bad cell cannot fail the whole chunk.
          if (count <= opts.maxRows) rows.push({ line, email: String(record.email ?? '').slice(0, 400), role: String(record.role ?? '').slice(0, 40) });
        }
        read = Math.min(file.size, read + READ_CHUNK_BYTES);
        opts.onProgress(file.size ? read / file.size : 1);
      },
      complete() {
        if (failure) return reject(failure);
        if (!checkedHeader) return reject(new CsvFileError('csvEmpty'));
        if (count > opts.maxRows) return reject(new CsvFileError('csvTooManyRows', { rows: count, limit: opts.maxRows }));
        if (!count) return reject(new CsvFileError('csvEmpty'));
        opts.onProgress(1);
        resolve(rows);
      },
      error(err) {
        reject(err);
      },
    });
  });
}

/**
 * The server checks a file a chunk at a time, so it can only see duplicates inside one chunk. Repeat the
 * same rule over the whole file (first occurrence wins; rows with a bad address or role do not count),
 * as the server's commit will when it re-checks the file as a whole.
 */
export function markDuplicatesAcrossChunks(checks: RowCheck[]): RowCheck[] {
  const seen = new Set<string>();
  return checks.map((c) => {
    if (c.status === 'error' && (c.problem === 'emailInvalid' || c.problem === 'roleUnknown')) return c;
    if (seen.has(c.email)) return c.status === 'error' && c.problem === 'duplicate' ? c : { line: c.line, email: c.email, status: 'error', problem: 'duplicate' };
    seen.add(c.email);
    return c;
  });
}

/** Spreadsheet apps run a cell that starts with = + - @ (or a tab / carriage return) as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The rows with problems as a CSV file, every cell safe to open in a spreadsheet. */
export function problemsCsv(rows: { line: number; email: string; problem: string }[], headers: { line: string; email: string; problem: string }): string {
  return Papa.unparse(
    { fields: [headers.line, headers.email, headers.problem], data: rows.map((r) => [r.line, r.email, r.problem]) },
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  );
}

export type { ImportRow, RowCheck, RowProblem };
