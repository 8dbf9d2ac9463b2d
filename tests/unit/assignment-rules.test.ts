import { describe, expect, it } from 'vitest';
import { cutoffAt, lateDays, latePenalty, parseAssignmentSettings, parseRubric, parseSubmissionUrl, penaltyPercent, rubricPoints, scoreRubric } from '@/lib/assignments/rules';

const due = '2026-03-10T12:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('late days and penalty', () => {
  it('counts whole days late, rounded up; on time and no due date are 0', () => {
    expect(lateDays(due, at('2026-03-10T12:00:00.000Z'))).toBe(0);
    expect(lateDays(due, at('2026-03-09T08:00:00.000Z'))).toBe(0);
    expect(lateDays(due, at('2026-03-10T12:01:00.000Z'))).toBe(1);
    expect(lateDays(due, at('2026-03-11T12:00:00.000Z'))).toBe(1);
    expect(lateDays(due, at('2026-03-11T12:00:01.000Z'))).toBe(2);
    expect(lateDays(null, at('2030-01-01T00:00:00.000Z'))).toBe(0);
  });

  it('takes pct × days off the raw score, capped at 100 %, to 2 decimals', () => {
    expect(penaltyPercent(10, 2)).toBe(20);
    expect(penaltyPercent(30, 5)).toBe(100);
    expect(latePenalty(8, 10, 2)).toBe(1.6);
    expect(latePenalty(7, 10, 2)).toBe(1.4);
    expect(latePenalty(10, 0, 4)).toBe(0);
    expect(latePenalty(9, 50, 3)).toBe(9);
    expect(latePenalty(3.33, 10, 1)).toBe(0.33);
  });

  it('puts the cut-off N days after the due date, or nowhere', () => {
    expect(cutoffAt({ dueAt: due, cutoffDays: 3 })?.toISOString()).toBe('2026-03-13T12:00:00.000Z');
    expect(cutoffAt({ dueAt: due, cutoffDays: null })).toBeNull();
    expect(cutoffAt({ dueAt: null, cutoffDays: 3 })).toBeNull();
  });
});

describe('rubric', () => {
  const rubric = parseRubric(
    JSON.stringify({ criteria: [{ id: 'arg', title: 'Argument', levels: [{ id: 'weak', title: 'Weak', points: '2' }, { id: 'strong', title: 'Strong', points: 6 }] }, { title: ' Style ', levels: [{ title: 'Clear', points: 4.5 }] }] }),
  )!;

  it('keeps given ids, makes missing ones, sorts levels highest first, sums the highest levels', () => {
    expect(rubric.criteria[0]).toMatchObject({ id: 'arg', title: 'Argument', description: '', levels: [{ id: 'strong', points: 6 }, { id: 'weak', points: 2 }] });
    expect(rubric.criteria[1]!.title).toBe('Style');
    expect(rubric.criteria[1]!.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(rubricPoints(rubric)).toBe(10.5);
    expect(parseRubric('')).toBeNull();
    expect(parseRubric({ criteria: [] })).toBeNull();
  });

  it('names the criterion or level at fault', () => {
    const fails = (criteria: unknown) => {
      try {
        parseRubric({ criteria });
      } catch (e) {
        return { code: (e as { code: string }).code, message: (e as Error).message };
      }
      return null;
    };
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: 1 }] }, { title: 'B', levels: [] }])).toEqual({ code: 'rubricNoLevels', message: 'Criterion 2 (“B”) has no levels: add at least one level with its points.' });
    expect(fails([{ title: '', levels: [{ title: 'x', points: 1 }] }])?.code).toBe('rubricCriterionTitle');
    expect(fails([{ title: 'A', levels: [{ title: '', points: 1 }] }])?.code).toBe('rubricLevelTitle');
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: -1 }] }])?.code).toBe('rubricLevelPoints');
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: 'abc' }] }])?.code).toBe('rubricLevelPoints');
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: 1.234 }] }])?.code).toBe('rubricLevelPoints');
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: 2 }, { title: 'y', points: '2' }] }])?.message).toBe('Criterion 1 (“A”) has two levels worth 2 points: give each level different points.');
    expect(fails([{ title: 'A', levels: [{ title: 'x', points: 0 }] }])?.code).toBe('rubricNoPoints');
    expect(fails([{ id: 'same', title: 'A', levels: [{ id: 'same', title: 'x', points: 1 }] }])?.code).toBe('rubricInvalid');
  });

  it('scores a grader’s choices from the rubric, refusing forged and missing ones', () => {
    const style = rubric.criteria[1]!;
    expect(scoreRubric(rubric, { arg: { levelId: 'weak', comment: ' thin ' }, [style.id]: { levelId: style.levels[0]!.id } })).toEqual({
      raw: 6.5,
      assessment: { arg: { levelId: 'weak', points: 2, comment: 'thin' }, [style.id]: { levelId: style.levels[0]!.id, points: 4.5 } },
    });
    expect(() => scoreRubric(rubric, { arg: { levelId: 'weak' } })).toThrow(expect.objectContaining({ code: 'rubricIncomplete' }));
    expect(() => scoreRubric(rubric, { arg: { levelId: style.levels[0]!.id }, [style.id]: { levelId: style.levels[0]!.id } })).toThrow(expect.objectContaining({ code: 'rubricLevelUnknown' }));
    expect(() => scoreRubric(rubric, { arg: { levelId: 'weak' }, [style.id]: { levelId: style.levels[0]!.id }, extra: { levelId: 'weak' } })).toThrow(expect.objectContaining({ code: 'rubricCriterionUnknown' }));
  });
});

describe('assignment settings', () => {
  it('reads the form: checkboxes, numbers as text, empty optional fields', () => {
    expect(parseAssignmentSettings({ typeText: 'on', typeUrl: 'on', pointsPossible: '20', dueAt: '', latePenaltyPercent: '', cutoffDays: '', rubric: '' })).toEqual({
      submissionTypes: ['text', 'url'],
      pointsPossible: 20,
      dueAt: null,
      latePenaltyPercent: 0,
      cutoffDays: null,
      allowResubmission: false,
      rubric: null,
    });
  });

  it('takes points possible from the rubric, ignoring the points field', () => {
    const s = parseAssignmentSettings({ submissionTypes: ['file'], pointsPossible: '99', rubric: { criteria: [{ title: 'A', levels: [{ title: 'x', points: 3 }] }] } });
    expect(s.pointsPossible).toBe(3);
  });

  it('refuses each bad field with its own code', () => {
    const code = (raw: Record<string, unknown>) => {
      try {
        parseAssignmentSettings(raw);
      } catch (e) {
        return [(e as { field: string }).field, (e as { code: string }).code];
      }
      return null;
    };
    expect(code({ pointsPossible: '5' })).toEqual(['submissionTypes', 'assignmentNoSubmissionType']);
    expect(code({ typeText: 'on', pointsPossible: '0' })).toEqual(['pointsPossible', 'assignmentPointsInvalid']);
    expect(code({ typeText: 'on', pointsPossible: '5', latePenaltyPercent: '101' })).toEqual(['latePenaltyPercent', 'assignmentPenaltyInvalid']);
    expect(code({ typeText: 'on', pointsPossible: '5', latePenaltyPercent: '2.5' })).toEqual(['latePenaltyPercent', 'assignmentPenaltyInvalid']);
    expect(code({ typeText: 'on', pointsPossible: '5', dueAt: 'soon' })).toEqual(['dueAt', 'assignmentDueInvalid']);
    expect(code({ typeText: 'on', pointsPossible: '5', dueAt: due, cutoffDays: '-1' })).toEqual(['cutoffDays', 'assignmentCutoffInvalid']);
    expect(code({ typeText: 'on', pointsPossible: '5', cutoffDays: '2' })).toEqual(['cutoffDays', 'assignmentCutoffNeedsDue']);
  });
});

describe('submission links', () => {
  it('accepts http(s) only, without credentials', () => {
    expect(parseSubmissionUrl(' https://example.org/a?b=1 ')).toBe('https://example.org/a?b=1');
    expect(parseSubmissionUrl('')).toBeNull();
    for (const bad of ['javascript:alert(1)', 'ftp://example.org', 'example.org', 'https://user:pw@example.org', `https://example.org/${'a'.repeat(2001)}`]) {
      expect(() => parseSubmissionUrl(bad), bad).toThrow(expect.objectContaining({ code: 'submissionUrlInvalid' }));
    }
  });
});
