import type { z } from 'zod';

/** `score: null` means the answer waits for a person (essays). */
export type GradeResult = { score: number | null; correct: boolean | null };

/**
 * One question type: everything grading needs to know about it lives in its own module, registered once
 * in `./index.ts` (the same shape as the course item kinds in `lib/courses/kinds/`).
 */
export type QuestionType<D, A> = {
  type: string;
  /** The author's stored definition (options with stable string ids, keys, tolerances, per-option feedback). */
  definition: z.ZodType<D>;
  /** A learner's answer; wrong-shaped answers fail to parse (the caller then records a clear error). */
  answer: z.ZodType<A>;
  /**
   * Whether a parsed answer refers only to this question's ids (ordering: is a permutation of them;
   * essay: stays within the word limit). `gradeAnswer` refuses answers that don't fit as `answerShape`.
   */
  fits(def: D, answer: A): boolean;
  /** Score in [0, points], rounded to 2 decimals; never throws; an empty/null answer scores 0 (essay: null). */
  grade(def: D, answer: A | null, points: number): GradeResult;
  /** Prompt-side data only: never keys, correctness flags, accepted answers, tolerances or feedback. */
  forLearner(def: D): Record<string, unknown>;
  /** Feedback to show with results (chosen options' feedback, then the general one). */
  feedback?(def: D, answer: A | null): string[];
};

export function defineQuestionType<D, A>(def: QuestionType<D, A>): QuestionType<D, A> {
  return def;
}
