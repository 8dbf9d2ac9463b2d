import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, NOTHING, scored } from './shared';
import { defineQuestionType } from './types';

const Finite = z.number(v('numberInvalid'));

export const NumericDefinition = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('exact'), value: Finite, tolerance: Finite.min(0, v('toleranceInvalid')).default(0), generalFeedback: FeedbackText }),
    z.object({ mode: z.literal('range'), min: Finite, max: Finite, generalFeedback: FeedbackText }),
  ])
  .superRefine((def, ctx) => {
    if (def.mode === 'range' && def.min > def.max) ctx.addIssue({ code: 'custom', message: v('numericRangeInverted'), path: ['max'] });
  });
export type NumericDefinition = z.infer<typeof NumericDefinition>;

// One optional sign, digits with at most one decimal separator ("3.14" or "3,14"), optional exponent.
// No thousands separators: "1,000" reads as 1.
const NUMBER_TEXT = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[+-]?\d+)?$/i;

/** A number, or the text of one; blank text is no answer (null). NaN, Infinity and "1e999" fail. */
export const NumericAnswer = z.union([
  z.number(),
  z
    .string()
    .max(100)
    .transform((text, ctx) => {
      const trimmed = text.trim();
      if (!trimmed) return null;
      const value = NUMBER_TEXT.test(trimmed) ? Number(trimmed.replace(',', '.')) : Number.NaN;
      if (!Number.isFinite(value)) {
        ctx.addIssue({ code: 'custom', message: v('numberInvalid') });
        return z.NEVER;
      }
      return value;
    }),
]);

/** Float noise (0.1 + 0.2) must not turn a right answer wrong: a relative slack of 1e-9 on the bounds. */
function slack(n: number): number {
  return 1e-9 * Math.max(1, Math.abs(n));
}

/** A number: exact within an absolute tolerance, or anywhere in [min, max] (bounds included). */
export const numeric = defineQuestionType<NumericDefinition, number | null>({
  type: 'numeric',
  definition: NumericDefinition,
  answer: NumericAnswer,
  fits: () => true,
  grade(def, answer, points) {
    if (answer === null || !Number.isFinite(answer)) return NOTHING;
    const right =
      def.mode === 'exact'
        ? Math.abs(answer - def.value) <= def.tolerance + slack(def.value)
        : answer >= def.min - slack(def.min) && answer <= def.max + slack(def.max);
    return scored(right ? 1 : 0, points);
  },
  forLearner: () => ({}),
  feedback: (def) => compact(def.generalFeedback),
});
