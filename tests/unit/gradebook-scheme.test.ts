import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEME, effectiveScheme, letterFor, schemeProblem } from '@/lib/gradebook/scheme';
import { referenceTotals } from '../support/gradebook-reference';

describe('letter scheme', () => {
  it('gives the letter of the highest row the (shown, two-decimal) percentage reaches', () => {
    expect(letterFor(93, DEFAULT_SCHEME)).toBe('A');
    expect(letterFor(92.994, DEFAULT_SCHEME)).toBe('A-');
    expect(letterFor(92.995, DEFAULT_SCHEME)).toBe('A'); // shown as 93.00
    expect(letterFor(56.99999999999999, DEFAULT_SCHEME)).toBe('F');
    expect(letterFor(0, DEFAULT_SCHEME)).toBe('F');
    expect(letterFor(null, DEFAULT_SCHEME)).toBeNull();
  });

  it('validates: descending, unique letters, last at 0', () => {
    expect(schemeProblem(DEFAULT_SCHEME)).toBeNull();
    expect(schemeProblem([{ letter: 'P', min: 50 }, { letter: 'F', min: 0 }])).toBeNull();
    expect(schemeProblem([{ letter: 'P', min: 50 }, { letter: 'F', min: 50 }, { letter: 'X', min: 0 }])).toEqual({ code: 'schemeNotDescending', row: 1 });
    expect(schemeProblem([{ letter: 'P', min: 50 }, { letter: 'F', min: 5 }])).toEqual({ code: 'schemeLastNotZero', row: 1 });
    expect(schemeProblem([{ letter: 'P', min: 50 }, { letter: 'p', min: 0 }])).toEqual({ code: 'schemeLettersUnique', row: 1 });
    expect(schemeProblem([{ letter: ' ', min: 0 }])).toEqual({ code: 'schemeLetterMissing', row: 0 });
    expect(schemeProblem([{ letter: 'A', min: 101 }, { letter: 'F', min: 0 }])).toEqual({ code: 'schemeMinInvalid', row: 0 });
    expect(schemeProblem([])).toEqual({ code: 'schemeEmpty', row: 0 });
    expect(effectiveScheme(null)).toBe(DEFAULT_SCHEME);
  });
});

describe('reference gradebook rules', () => {
  const items = [
    { id: 'q1', ord: 1, categoryId: 'quiz' },
    { id: 'q2', ord: 2, categoryId: 'quiz' },
    { id: 'q3', ord: 3, categoryId: 'quiz' },
    { id: 'e1', ord: 4, categoryId: 'essay' },
    { id: 'x1', ord: 5, categoryId: null },
  ];
  const cell = (itemId: string, score: number | null, pointsPossible: number, extra: Partial<{ overrideScore: number; excused: boolean; released: boolean }> = {}) => ({
    itemId,
    score,
    pointsPossible,
    overrideScore: extra.overrideScore ?? null,
    excused: extra.excused ?? false,
    released: extra.released ?? true,
  });

  it('drops the lowest percentage, keeps at least one, weights and renormalises', () => {
    const cats = [
      { id: 'quiz', weight: 40, dropLowest: 1 },
      { id: 'essay', weight: 60, dropLowest: 0 },
    ];
    const r = referenceTotals(items, cats, [cell('q1', 10, 10), cell('q2', 1, 2), cell('q3', 8, 10), cell('x1', 0, 10)]);
    expect([...r.dropped]).toEqual(['q2']); // 50 % is the lowest
    expect(r.categories.get('quiz')).toEqual({ earned: 18, possible: 20 });
    expect(r.total).toBeCloseTo(90); // essays have nothing graded: quizzes alone; uncategorised has no weight
    const one = referenceTotals(items, cats, [cell('q1', 3, 10)]);
    expect(one.dropped.size).toBe(0);
    expect(one.total).toBeCloseTo(30);
  });

  it('excused, ungraded and (in the learner view) hidden cells do not count; overrides win', () => {
    const cats = [{ id: 'quiz', weight: 0, dropLowest: 0 }];
    const r = referenceTotals(items, cats, [cell('q1', 2, 10, { overrideScore: 9 }), cell('q2', 0, 10, { excused: true }), cell('q3', null, 10), cell('e1', 5, 10, { released: false })], { releasedOnly: true });
    expect(r.total).toBeCloseTo(90);
    expect(referenceTotals(items, cats, []).total).toBeNull();
  });
});
