import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText } from './shared';
import { defineQuestionType } from './types';

export const EssayDefinition = z.object({
  wordLimit: z.number(v('wordLimitInvalid')).int(v('wordLimitInvalid')).min(1, v('wordLimitInvalid')).max(10_000, v('wordLimitInvalid')).optional(),
  /** For whoever grades (a rubric, a model answer); never shown to learners. */
  graderNotes: z.string().trim().max(20_000, v('tooLong')).optional(),
  generalFeedback: FeedbackText,
});
export type EssayDefinition = z.infer<typeof EssayDefinition>;

export const ESSAY_MAX_CHARS = 20_000;

export function countWords(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

/** Free text, graded by a person: `grade` always leaves the score open. Over the word limit doesn't fit. */
export const essay = defineQuestionType<EssayDefinition, string>({
  type: 'essay',
  definition: EssayDefinition,
  answer: z.string().max(ESSAY_MAX_CHARS),
  fits: (def, answer) => def.wordLimit === undefined || countWords(answer) <= def.wordLimit,
  grade: () => ({ score: null, correct: null }),
  forLearner: (def) => (def.wordLimit === undefined ? {} : { wordLimit: def.wordLimit }),
  feedback: (def) => compact(def.generalFeedback),
});
