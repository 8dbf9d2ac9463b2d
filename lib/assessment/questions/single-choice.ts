import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, listWithIds, NOTHING, OptionText, QuestionId, scored } from './shared';
import { defineQuestionType } from './types';

export const ChoiceOption = z.object({ id: QuestionId, text: OptionText, correct: z.boolean(), feedback: FeedbackText });
export type ChoiceOption = z.infer<typeof ChoiceOption>;

export const SingleChoiceDefinition = z.object({
  options: listWithIds(ChoiceOption, 2, v('questionOptionsTooFew')).refine((options) => options.filter((o) => o.correct).length === 1, v('singleChoiceOneCorrect')),
  generalFeedback: FeedbackText,
});
export type SingleChoiceDefinition = z.infer<typeof SingleChoiceDefinition>;

/** One option to pick; the answer is its id. */
export const singleChoice = defineQuestionType<SingleChoiceDefinition, string>({
  type: 'single_choice',
  definition: SingleChoiceDefinition,
  answer: QuestionId,
  fits: (def, answer) => def.options.some((o) => o.id === answer),
  grade(def, answer, points) {
    if (answer === null) return NOTHING;
    return scored(def.options.find((o) => o.id === answer)?.correct ? 1 : 0, points);
  },
  forLearner: (def) => ({ options: def.options.map(({ id, text }) => ({ id, text })) }),
  feedback: (def, answer) => compact(def.options.find((o) => o.id === answer)?.feedback, def.generalFeedback),
});
