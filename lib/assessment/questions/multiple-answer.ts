import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, IdList, listWithIds, NOTHING, scored } from './shared';
import { ChoiceOption } from './single-choice';
import { defineQuestionType } from './types';

export const MultipleAnswerDefinition = z.object({
  options: listWithIds(ChoiceOption, 2, v('questionOptionsTooFew')).refine((options) => options.some((o) => o.correct), v('multipleAnswerNoCorrect')),
  generalFeedback: FeedbackText,
});
export type MultipleAnswerDefinition = z.infer<typeof MultipleAnswerDefinition>;

/**
 * Several options to tick. Partial credit as Canvas does it: (correct ticked − incorrect ticked) / all
 * correct, floored at 0 — so ticking everything earns nothing.
 */
export const multipleAnswer = defineQuestionType<MultipleAnswerDefinition, string[]>({
  type: 'multiple_answer',
  definition: MultipleAnswerDefinition,
  answer: IdList,
  fits: (def, answer) => answer.every((id) => def.options.some((o) => o.id === id)),
  grade(def, answer, points) {
    if (!answer || answer.length === 0) return NOTHING;
    const chosen = new Set(answer);
    const totalCorrect = def.options.filter((o) => o.correct).length;
    const right = def.options.filter((o) => o.correct && chosen.has(o.id)).length;
    // Ids that are not options (a forged answer graded directly) count as wrong ticks.
    const wrong = chosen.size - right;
    return scored((right - wrong) / totalCorrect, points);
  },
  forLearner: (def) => ({ options: def.options.map(({ id, text }) => ({ id, text })) }),
  feedback: (def, answer) => compact(...def.options.filter((o) => answer?.includes(o.id)).map((o) => o.feedback), def.generalFeedback),
});
