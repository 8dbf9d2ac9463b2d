import { ValidationError } from '@/lib/errors';
import { essay } from './essay';
import { matching } from './matching';
import { multipleAnswer } from './multiple-answer';
import { numeric } from './numeric';
import { ordering } from './ordering';
import { shortAnswer } from './short-answer';
import { singleChoice } from './single-choice';
import type { GradeResult, QuestionType } from './types';
import { trueFalse } from './true-false';

export type { GradeResult, QuestionType } from './types';
export { shuffled } from './shuffle';
export { countWords, ESSAY_MAX_CHARS } from './essay';
export { normaliseShortAnswer } from './short-answer';

/** Every question type, by name. Adding one is a module here (and its authoring and answering UI). */
export const QUESTION_TYPES = {
  single_choice: singleChoice,
  multiple_answer: multipleAnswer,
  true_false: trueFalse,
  short_answer: shortAnswer,
  numeric,
  matching,
  ordering,
  essay,
} as const;

export type QuestionTypeName = keyof typeof QUESTION_TYPES;
export const QUESTION_TYPE_NAMES = Object.keys(QUESTION_TYPES) as QuestionTypeName[];

/** Types `grade` scores on its own; the rest (essays) wait for a person. */
export const AUTO_GRADED_TYPES: readonly QuestionTypeName[] = QUESTION_TYPE_NAMES.filter((t) => t !== 'essay');

export function isQuestionType(type: string): type is QuestionTypeName {
  return Object.hasOwn(QUESTION_TYPES, type);
}

export function questionType(type: string): QuestionType<unknown, unknown> {
  if (!isQuestionType(type)) throw new ValidationError('unknownQuestionType', { field: 'type', params: { type } });
  return QUESTION_TYPES[type] as unknown as QuestionType<unknown, unknown>;
}

export type GradeOutcome = { ok: true; result: GradeResult } | { ok: false; problem: 'answerShape' };

/**
 * Grade a learner's raw answer (JSON from the client) against a stored definition. `null`/`undefined`
 * is "not answered" (0; essays stay open). An answer of the wrong shape, or naming ids the question
 * doesn't have, is `answerShape` — record the `answerShape` error for the learner, never a score.
 * Throws on an unknown type or a stored definition that no longer validates (both are our bugs).
 */
export function gradeAnswer(type: string, definition: unknown, rawAnswer: unknown, points: number): GradeOutcome {
  if (!Number.isFinite(points) || points < 0) throw new RangeError(`points must be a finite number ≥ 0, got ${points}`);
  const qt = questionType(type);
  const def = qt.definition.parse(definition);
  if (rawAnswer === null || rawAnswer === undefined) return { ok: true, result: qt.grade(def, null, points) };
  const parsed = qt.answer.safeParse(rawAnswer);
  if (!parsed.success) return { ok: false, problem: 'answerShape' };
  if (parsed.data !== null && !qt.fits(def, parsed.data)) return { ok: false, problem: 'answerShape' };
  return { ok: true, result: qt.grade(def, parsed.data, points) };
}
