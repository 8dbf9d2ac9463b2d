import { z } from 'zod';
import { compact, FeedbackText, NOTHING, scored } from './shared';
import { defineQuestionType } from './types';

export const TrueFalseDefinition = z.object({
  correct: z.boolean(),
  feedbackTrue: FeedbackText,
  feedbackFalse: FeedbackText,
  generalFeedback: FeedbackText,
});
export type TrueFalseDefinition = z.infer<typeof TrueFalseDefinition>;

/** A statement the learner marks true or false. */
export const trueFalse = defineQuestionType<TrueFalseDefinition, boolean>({
  type: 'true_false',
  definition: TrueFalseDefinition,
  answer: z.boolean(),
  fits: () => true,
  grade: (def, answer, points) => (answer === null ? NOTHING : scored(answer === def.correct ? 1 : 0, points)),
  forLearner: () => ({}),
  feedback: (def, answer) => compact(answer === true ? def.feedbackTrue : answer === false ? def.feedbackFalse : undefined, def.generalFeedback),
});
