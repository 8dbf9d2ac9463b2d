import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, NOTHING, scored } from './shared';
import { defineQuestionType } from './types';

type Matching = { caseSensitive: boolean; ignorePunctuation: boolean };

/** How both the accepted answers and the learner's answer are compared. */
export function normaliseShortAnswer(text: string, { caseSensitive, ignorePunctuation }: Matching): string {
  let out = text.normalize('NFC');
  if (ignorePunctuation) out = out.replace(/\p{P}/gu, '');
  out = out.replace(/\s+/gu, ' ').trim();
  return caseSensitive ? out : out.toLowerCase();
}

export const ShortAnswerDefinition = z
  .object({
    accepted: z.array(z.string().max(500, v('tooLong'))).min(1, v('acceptedAnswersMissing')).max(50, v('questionOptionsTooMany')),
    caseSensitive: z.boolean().default(false),
    ignorePunctuation: z.boolean().default(false),
    generalFeedback: FeedbackText,
  })
  .superRefine((def, ctx) => {
    def.accepted.forEach((text, i) => {
      if (!normaliseShortAnswer(text, def)) ctx.addIssue({ code: 'custom', message: v('acceptedAnswerEmpty'), path: ['accepted', i] });
    });
  });
export type ShortAnswerDefinition = z.infer<typeof ShortAnswerDefinition>;

/** A few words typed by the learner, right if it equals one accepted answer after normalising. */
export const shortAnswer = defineQuestionType<ShortAnswerDefinition, string>({
  type: 'short_answer',
  definition: ShortAnswerDefinition,
  answer: z.string().max(1000),
  fits: () => true,
  grade(def, answer, points) {
    const given = answer === null ? '' : normaliseShortAnswer(answer, def);
    if (!given) return NOTHING;
    return scored(def.accepted.some((a) => normaliseShortAnswer(a, def) === given) ? 1 : 0, points);
  },
  forLearner: () => ({}),
  feedback: (def) => compact(def.generalFeedback),
});
