import { describe, expect, it } from 'vitest';
import { ValidationError } from '@/lib/errors';
import { AUTO_GRADED_TYPES, countWords, gradeAnswer, QUESTION_TYPES, questionType, shuffled } from '@/lib/assessment/questions';
import en from '@/lib/i18n/messages/en.json';

const { single_choice, multiple_answer, true_false, short_answer, numeric, matching, ordering, essay } = QUESTION_TYPES;

/** Every string and key anywhere in a value, for "does this leak?" checks. */
function everything(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(everything);
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...everything(v)]);
  return [String(value)];
}

/** The first issue message of a definition that must not validate. */
function definitionProblem(schema: { safeParse(x: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, def: unknown): string | undefined {
  const parsed = schema.safeParse(def);
  expect(parsed.success).toBe(false);
  return parsed.error?.issues[0]?.message;
}

const choice = {
  options: [
    { id: 'paris', text: 'Paris', correct: true, feedback: 'Yes, the capital since 987.' },
    { id: 'lyon', text: 'Lyon', correct: false, feedback: 'Lyon is the third city.' },
    { id: 'nice', text: 'Nice', correct: false },
  ],
  generalFeedback: 'See chapter 2.',
};

describe('single choice', () => {
  const def = single_choice.definition.parse(choice);

  it('scores the right option in full, a wrong one and no answer as 0', () => {
    expect(single_choice.grade(def, 'paris', 2)).toEqual({ score: 2, correct: true });
    expect(single_choice.grade(def, 'lyon', 2)).toEqual({ score: 0, correct: false });
    expect(single_choice.grade(def, null, 2)).toEqual({ score: 0, correct: false });
  });

  it('refuses forged ids and wrong shapes', () => {
    expect(gradeAnswer('single_choice', choice, 'berlin', 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('single_choice', choice, ['paris'], 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('single_choice', choice, { id: 'paris' }, 2)).toEqual({ ok: false, problem: 'answerShape' });
    // Graded directly, a forged id earns nothing rather than throwing.
    expect(single_choice.grade(def, 'berlin', 2)).toEqual({ score: 0, correct: false });
  });

  it('needs exactly one correct option, two options at least and unique ids', () => {
    const none = { options: choice.options.map((o) => ({ ...o, correct: false })) };
    const two = { options: choice.options.map((o) => ({ ...o, correct: o.id !== 'nice' })) };
    expect(definitionProblem(single_choice.definition, none)).toBe(en.validation.singleChoiceOneCorrect);
    expect(definitionProblem(single_choice.definition, two)).toBe(en.validation.singleChoiceOneCorrect);
    expect(definitionProblem(single_choice.definition, { options: [choice.options[0]] })).toBe(en.validation.questionOptionsTooFew);
    expect(definitionProblem(single_choice.definition, { options: [...choice.options, { ...choice.options[1], correct: false }] })).toBe(en.validation.questionIdsDuplicate);
    expect(definitionProblem(single_choice.definition, { options: [...choice.options.slice(1), { id: 'x y', text: 'X', correct: true }] })).toBe(en.validation.questionIdInvalid);
    expect(definitionProblem(single_choice.definition, { options: [...choice.options, { id: 'blank', text: '  ', correct: false }] })).toBe(en.validation.questionTextMissing);
  });

  it('shows learners the options in the order given, without flags or feedback', () => {
    const view = single_choice.forLearner(def);
    expect(view).toEqual({ options: [{ id: 'paris', text: 'Paris' }, { id: 'lyon', text: 'Lyon' }, { id: 'nice', text: 'Nice' }] });
    const seen = everything(view);
    for (const secret of ['correct', 'feedback', 'true', 'Yes, the capital since 987.', 'See chapter 2.']) expect(seen).not.toContain(secret);
  });

  it('gives the chosen option’s feedback, then the general one', () => {
    expect(single_choice.feedback!(def, 'lyon')).toEqual(['Lyon is the third city.', 'See chapter 2.']);
    expect(single_choice.feedback!(def, 'nice')).toEqual(['See chapter 2.']);
  });
});

describe('multiple answer', () => {
  const raw = {
    options: [
      { id: 'a', text: '2', correct: true },
      { id: 'b', text: '3', correct: true },
      { id: 'c', text: '4', correct: false, feedback: '4 = 2 × 2' },
      { id: 'd', text: '5', correct: true },
    ],
  };
  const def = multiple_answer.definition.parse(raw);

  it.each([
    [['a', 'b', 'd'], 3, true],
    [['a', 'b'], 2, false],
    [['a', 'b', 'c'], 1, false], // (2 − 1) / 3
    [['a', 'c'], 0, false], // (1 − 1) / 3
    [['c'], 0, false], // floored at 0, not negative
    [['a', 'b', 'c', 'd'], 2, false], // ticking everything: (3 − 1) / 3
    [[], 0, false],
  ])('%j scores %d of 3', (answer, score, correct) => {
    expect(multiple_answer.grade(def, answer, 3)).toEqual({ score, correct });
  });

  it('rounds to 2 decimals', () => {
    expect(multiple_answer.grade(def, ['a'], 1)).toEqual({ score: 0.33, correct: false });
    expect(multiple_answer.grade(def, ['a', 'b'], 1)).toEqual({ score: 0.67, correct: false });
  });

  it('refuses forged ids and repeated ids; graded directly a forged id counts as a wrong tick', () => {
    expect(gradeAnswer('multiple_answer', raw, ['a', 'zz'], 3)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('multiple_answer', raw, ['a', 'a', 'a'], 3)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('multiple_answer', raw, 'a', 3)).toEqual({ ok: false, problem: 'answerShape' });
    expect(multiple_answer.grade(def, ['a', 'b', 'd', 'zz'], 3)).toEqual({ score: 2, correct: false });
  });

  it('needs at least one correct option', () => {
    expect(definitionProblem(multiple_answer.definition, { options: raw.options.map((o) => ({ ...o, correct: false })) })).toBe(en.validation.multipleAnswerNoCorrect);
  });

  it('does not leak flags or feedback', () => {
    const seen = everything(multiple_answer.forLearner(def));
    expect(seen).not.toContain('correct');
    expect(seen).not.toContain('feedback');
    expect(seen).not.toContain('4 = 2 × 2');
    expect(multiple_answer.feedback!(def, ['a', 'c'])).toEqual(['4 = 2 × 2']);
  });
});

describe('true/false', () => {
  const def = true_false.definition.parse({ correct: false, feedbackTrue: 'It is not.', generalFeedback: 'Water boils at 100 °C at sea level.' });

  it('scores the right value, not the wrong one or none', () => {
    expect(true_false.grade(def, false, 1)).toEqual({ score: 1, correct: true });
    expect(true_false.grade(def, true, 1)).toEqual({ score: 0, correct: false });
    expect(true_false.grade(def, null, 1)).toEqual({ score: 0, correct: false });
    expect(gradeAnswer('true_false', def, 'false', 1)).toEqual({ ok: false, problem: 'answerShape' });
  });

  it('shows nothing of the key', () => {
    expect(true_false.forLearner(def)).toEqual({});
    expect(true_false.feedback!(def, true)).toEqual(['It is not.', 'Water boils at 100 °C at sea level.']);
  });
});

describe('short answer', () => {
  const def = short_answer.definition.parse({ accepted: ['Ada Lovelace', 'Lovelace'] });

  it.each([
    ['ada lovelace', true],
    ['  Ada \n  LOVELACE ', true],
    ['Lovelace', true],
    ['Ada Lovelace.', false],
    ['Babbage', false],
    ['', false],
    ['   ', false],
  ])('%j → %s', (answer, correct) => {
    expect(short_answer.grade(def, answer, 4)).toEqual({ score: correct ? 4 : 0, correct });
  });

  it('can be case-sensitive and ignore punctuation', () => {
    const strict = short_answer.definition.parse({ accepted: ['NaCl'], caseSensitive: true });
    expect(short_answer.grade(strict, 'NaCl', 1).correct).toBe(true);
    expect(short_answer.grade(strict, 'nacl', 1).correct).toBe(false);
    const loose = short_answer.definition.parse({ accepted: ["O'Brien"], ignorePunctuation: true });
    expect(short_answer.grade(loose, 'obrien!', 1).correct).toBe(true);
    expect(short_answer.grade(loose, ' O’Brien ', 1).correct).toBe(true);
    expect(short_answer.grade(def, null, 1)).toEqual({ score: 0, correct: false });
  });

  it('needs an accepted answer that is not blank', () => {
    expect(definitionProblem(short_answer.definition, { accepted: [] })).toBe(en.validation.acceptedAnswersMissing);
    expect(definitionProblem(short_answer.definition, { accepted: ['ok', '   '] })).toBe(en.validation.acceptedAnswerEmpty);
    expect(definitionProblem(short_answer.definition, { accepted: ['?!'], ignorePunctuation: true })).toBe(en.validation.acceptedAnswerEmpty);
  });

  it('hides the accepted answers', () => {
    const seen = everything(short_answer.forLearner(def)).join(' ');
    expect(seen).not.toMatch(/Lovelace|accepted|caseSensitive/);
    expect(gradeAnswer('short_answer', def, 42, 1)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('short_answer', def, 'x'.repeat(1001), 1)).toEqual({ ok: false, problem: 'answerShape' });
  });
});

describe('numeric', () => {
  const pi = { mode: 'exact', value: 3.14, tolerance: 0.01 };
  const range = { mode: 'range', min: 10, max: 20 };

  it.each([
    [pi, 3.14, true],
    [pi, '3,14', true],
    [pi, ' 3.15 ', true],
    [pi, '3.1500', true],
    [pi, 3.16, false],
    [{ mode: 'exact', value: 0.3 }, 0.1 + 0.2, true],
    [{ mode: 'exact', value: 1000 }, '1e3', true],
    [range, 10, true],
    [range, '20', true],
    [range, 20.01, false],
    [range, -15, false],
  ])('%j accepts %j: %s', (def, answer, correct) => {
    expect(gradeAnswer('numeric', def, answer, 5)).toEqual({ ok: true, result: { score: correct ? 5 : 0, correct } });
  });

  it('treats a blank answer as unanswered', () => {
    expect(gradeAnswer('numeric', pi, '  ', 5)).toEqual({ ok: true, result: { score: 0, correct: false } });
    expect(gradeAnswer('numeric', pi, null, 5)).toEqual({ ok: true, result: { score: 0, correct: false } });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 'NaN', 'Infinity', '1e999', '3.1.4', '1,000.5', '0x10', 'three', '3 14', true, [3.14]])('refuses %j', (answer) => {
    expect(gradeAnswer('numeric', pi, answer, 5)).toEqual({ ok: false, problem: 'answerShape' });
  });

  it('validates the definition', () => {
    expect(definitionProblem(numeric.definition, { mode: 'range', min: 5, max: 1 })).toBe(en.validation.numericRangeInverted);
    expect(definitionProblem(numeric.definition, { mode: 'exact', value: 1, tolerance: -1 })).toBe(en.validation.toleranceInvalid);
    expect(definitionProblem(numeric.definition, { mode: 'exact', value: Number.POSITIVE_INFINITY })).toBe(en.validation.numberInvalid);
    expect(numeric.definition.safeParse({ mode: 'between', min: 1, max: 2 }).success).toBe(false);
    expect(numeric.definition.parse({ mode: 'exact', value: 2 })).toMatchObject({ tolerance: 0 });
  });

  it('hides value, tolerance and range', () => {
    for (const def of [pi, range]) expect(numeric.forLearner(numeric.definition.parse(def))).toEqual({});
  });
});

describe('matching', () => {
  const raw = {
    prompts: [
      { id: 'fr', text: 'France', matchId: 'paris' },
      { id: 'de', text: 'Germany', matchId: 'berlin' },
      { id: 'it', text: 'Italy', matchId: 'rome' },
      { id: 'va', text: 'Vatican', matchId: 'rome' },
    ],
    matches: [
      { id: 'rome', text: 'Rome' },
      { id: 'madrid', text: 'Madrid' },
      { id: 'paris', text: 'Paris' },
      { id: 'berlin', text: 'Berlin' },
    ],
    generalFeedback: 'Capitals of Europe.',
  };
  const def = matching.definition.parse(raw);

  it('gives credit per correct pair', () => {
    expect(matching.grade(def, { fr: 'paris', de: 'berlin', it: 'rome', va: 'rome' }, 4)).toEqual({ score: 4, correct: true });
    expect(matching.grade(def, { fr: 'paris', de: 'madrid', it: 'rome' }, 4)).toEqual({ score: 2, correct: false });
    expect(matching.grade(def, { fr: 'rome', de: 'paris' }, 4)).toEqual({ score: 0, correct: false });
    expect(matching.grade(def, {}, 4)).toEqual({ score: 0, correct: false });
    expect(matching.grade(def, null, 4)).toEqual({ score: 0, correct: false });
  });

  it('refuses answers naming prompts or matches the question does not have', () => {
    expect(gradeAnswer('matching', raw, { fr: 'paris', es: 'madrid' }, 4)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('matching', raw, { fr: 'london' }, 4)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('matching', raw, [['fr', 'paris']], 4)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('matching', raw, JSON.parse('{"__proto__": {"fr": "paris"}}'), 4)).toEqual({ ok: true, result: { score: 0, correct: false } });
    expect(gradeAnswer('matching', raw, { fr: 'paris' }, 4)).toEqual({ ok: true, result: { score: 1, correct: false } });
  });

  it('validates the definition', () => {
    expect(definitionProblem(matching.definition, { ...raw, prompts: [...raw.prompts, { id: 'es', text: 'Spain', matchId: 'barcelona' }] })).toBe(en.validation.matchingUnknownMatch);
    expect(definitionProblem(matching.definition, { ...raw, prompts: [] })).toBe(en.validation.matchingPromptsMissing);
    expect(definitionProblem(matching.definition, { ...raw, matches: [...raw.matches, { id: 'rome', text: 'Roma' }] })).toBe(en.validation.questionIdsDuplicate);
  });

  it('shows prompts and matches without the pairing', () => {
    const view = matching.forLearner(def);
    expect(view).toEqual({ prompts: raw.prompts.map(({ id, text }) => ({ id, text })), matches: raw.matches });
    const seen = everything(view);
    expect(seen).not.toContain('matchId');
    expect(seen).not.toContain('Capitals of Europe.');
  });
});

describe('ordering', () => {
  const raw = {
    items: [
      { id: 'k7', text: 'Mercury' },
      { id: 'b2', text: 'Venus' },
      { id: 'x9', text: 'Earth' },
      { id: 'a4', text: 'Mars' },
    ],
  };
  const def = ordering.definition.parse(raw);

  it('gives the share of items in their correct position', () => {
    expect(ordering.grade(def, ['k7', 'b2', 'x9', 'a4'], 2)).toEqual({ score: 2, correct: true });
    expect(ordering.grade(def, ['k7', 'b2', 'a4', 'x9'], 2)).toEqual({ score: 1, correct: false });
    expect(ordering.grade(def, ['a4', 'k7', 'b2', 'x9'], 2)).toEqual({ score: 0, correct: false });
    expect(ordering.grade(def, [], 2)).toEqual({ score: 0, correct: false });
    expect(ordering.grade(def, null, 2)).toEqual({ score: 0, correct: false });
  });

  it('accepts only a permutation of the item ids', () => {
    expect(gradeAnswer('ordering', raw, ['k7', 'b2', 'x9'], 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('ordering', raw, ['k7', 'b2', 'x9', 'x9'], 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('ordering', raw, ['k7', 'b2', 'x9', 'zz'], 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('ordering', raw, ['k7', 'b2', 'x9', 'a4', 'zz'], 2)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('ordering', raw, ['k7', 'x9', 'b2', 'a4'], 2)).toEqual({ ok: true, result: { score: 1, correct: false } });
  });

  it('does not reveal the correct order: the learner view depends on the set of items only', () => {
    const view = ordering.forLearner(def) as { items: { id: string }[] };
    expect(view.items.map((i) => i.id)).not.toEqual(raw.items.map((i) => i.id));
    const reordered = ordering.definition.parse({ items: [...raw.items].reverse() });
    expect(ordering.forLearner(reordered)).toEqual(view);
  });

  it('needs two items with unique ids', () => {
    expect(definitionProblem(ordering.definition, { items: [raw.items[0]] })).toBe(en.validation.questionOptionsTooFew);
    expect(definitionProblem(ordering.definition, { items: [...raw.items, raw.items[0]] })).toBe(en.validation.questionIdsDuplicate);
  });
});

describe('essay', () => {
  const def = essay.definition.parse({ wordLimit: 5, graderNotes: 'Look for the three causes.', generalFeedback: 'Model answer in the notes.' });

  it('always waits for a person', () => {
    expect(essay.grade(def, 'The war had three causes.', 10)).toEqual({ score: null, correct: null });
    expect(gradeAnswer('essay', def, null, 10)).toEqual({ ok: true, result: { score: null, correct: null } });
    expect(AUTO_GRADED_TYPES).not.toContain('essay');
  });

  it('refuses answers over the word limit or 20,000 characters', () => {
    expect(countWords('  one two\nthree  ')).toBe(3);
    expect(gradeAnswer('essay', def, 'one two three four five six', 10)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('essay', {}, 'x'.repeat(20_001), 10)).toEqual({ ok: false, problem: 'answerShape' });
    expect(gradeAnswer('essay', {}, 'x'.repeat(20_000), 10)).toEqual({ ok: true, result: { score: null, correct: null } });
  });

  it('shows the word limit, never the grader notes', () => {
    expect(essay.forLearner(def)).toEqual({ wordLimit: 5 });
    expect(definitionProblem(essay.definition, { wordLimit: 0 })).toBe(en.validation.wordLimitInvalid);
  });
});

describe('registry', () => {
  it('knows every type by its name', () => {
    for (const [name, qt] of Object.entries(QUESTION_TYPES)) expect(questionType(name)).toBe(qt);
    expect(AUTO_GRADED_TYPES).toEqual(['single_choice', 'multiple_answer', 'true_false', 'short_answer', 'numeric', 'matching', 'ordering']);
  });

  it('refuses an unknown type with a catalogue error', () => {
    expect(() => questionType('hotspot')).toThrow(ValidationError);
    expect(() => questionType('toString')).toThrow(ValidationError);
    expect(() => questionType('hotspot')).toThrow(expect.objectContaining({ code: 'unknownQuestionType', message: expect.stringContaining('hotspot') }));
  });

  it('refuses impossible points', () => {
    expect(() => gradeAnswer('true_false', { correct: true }, true, -1)).toThrow(RangeError);
    expect(() => gradeAnswer('true_false', { correct: true }, true, Number.NaN)).toThrow(RangeError);
  });
});

describe('shuffled', () => {
  const items = Array.from({ length: 10 }, (_, i) => `o${i}`);

  it('is deterministic by seed and keeps every item', () => {
    expect(shuffled(items, 'attempt-1:q-1')).toEqual(shuffled(items, 'attempt-1:q-1'));
    expect([...shuffled(items, 'attempt-1:q-1')].sort()).toEqual([...items].sort());
    expect(shuffled(items, 'attempt-1:q-1')).not.toEqual(shuffled(items, 'attempt-2:q-1'));
    expect(items).toEqual(Array.from({ length: 10 }, (_, i) => `o${i}`));
  });

  it('moves items around across seeds', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, i) => shuffled(items, `seed-${i}`)[0]));
    expect(firsts.size).toBe(10);
  });
});
