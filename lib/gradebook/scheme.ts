/** A course's letter-grade scheme: rows `{ letter, min }` (min in percent), highest first, the last at 0. */
export type SchemeRow = { letter: string; min: number };
export type GradingScheme = SchemeRow[];

/** The scheme a course uses until its instructors set one (the common US 93/90/87 … scale). */
export const DEFAULT_SCHEME: GradingScheme = [
  { letter: 'A', min: 93 },
  { letter: 'A-', min: 90 },
  { letter: 'B+', min: 87 },
  { letter: 'B', min: 83 },
  { letter: 'B-', min: 80 },
  { letter: 'C+', min: 77 },
  { letter: 'C', min: 73 },
  { letter: 'C-', min: 70 },
  { letter: 'D+', min: 67 },
  { letter: 'D', min: 63 },
  { letter: 'D-', min: 60 },
  { letter: 'F', min: 0 },
];

export const MAX_SCHEME_ROWS = 30;

export type SchemeProblem = 'schemeEmpty' | 'schemeTooLong' | 'schemeLetterMissing' | 'schemeMinInvalid' | 'schemeNotDescending' | 'schemeLastNotZero' | 'schemeLettersUnique';

/**
 * What is wrong with a scheme, or null when it is usable: at least one row, letters present and unique
 * (case-insensitive), minimums between 0 and 100 with at most two decimals, strictly descending, the last 0.
 * Returns the first problem and the row (0-based) it is on.
 */
export function schemeProblem(rows: GradingScheme): { code: SchemeProblem; row: number } | null {
  if (!rows.length) return { code: 'schemeEmpty', row: 0 };
  if (rows.length > MAX_SCHEME_ROWS) return { code: 'schemeTooLong', row: MAX_SCHEME_ROWS };
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const letter = r.letter.trim();
    if (!letter || letter.length > 8) return { code: 'schemeLetterMissing', row: i };
    if (!Number.isFinite(r.min) || r.min < 0 || r.min > 100 || Math.round(r.min * 100) !== r.min * 100) return { code: 'schemeMinInvalid', row: i };
    if (seen.has(letter.toLowerCase())) return { code: 'schemeLettersUnique', row: i };
    seen.add(letter.toLowerCase());
    if (i > 0 && !(r.min < rows[i - 1]!.min)) return { code: 'schemeNotDescending', row: i };
  }
  if (rows[rows.length - 1]!.min !== 0) return { code: 'schemeLastNotZero', row: rows.length - 1 };
  return null;
}

/** The course's scheme, or the default when none is set (or a stored one is unusable). */
export function effectiveScheme(stored: GradingScheme | null | undefined): GradingScheme {
  return stored && stored.length && !schemeProblem(stored) ? stored : DEFAULT_SCHEME;
}

/** The letter for a percentage (rounded to 2 decimals first, as it is shown), or null when there is no grade. */
export function letterFor(percent: number | null, scheme: GradingScheme): string | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  const shown = Math.round(percent * 100) / 100;
  for (const row of scheme) if (shown >= row.min) return row.letter;
  return scheme[scheme.length - 1]?.letter ?? null;
}
