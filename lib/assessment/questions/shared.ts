import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import type { GradeResult } from './types';

/** Option, prompt and item ids: stable, opaque, safe as object keys and in HTML attributes. */
export const QuestionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, v('questionIdInvalid'));

export const OptionText = z.string().trim().min(1, v('questionTextMissing')).max(2000, v('tooLong'));
export const FeedbackText = z.string().trim().max(5000, v('tooLong')).optional();

/** Up to 50 entries with an `id` each; duplicate ids are reported on the second one. */
export function listWithIds<T extends z.ZodObject<{ id: typeof QuestionId }>>(item: T, min: number, minMessage: string) {
  return z
    .array(item)
    .min(min, minMessage)
    .max(50, v('questionOptionsTooMany'))
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        const id = (entry as { id: string }).id;
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: v('questionIdsDuplicate'), path: [i, 'id'] });
        seen.add(id);
      });
    });
}

/** Unique ids, as a learner's multi-select or ordering answer. */
export const IdList = z
  .array(QuestionId)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length);

export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

/** A share of full marks (clamped to [0, 1]) as a score out of `points`. */
export function scored(fraction: number, points: number): GradeResult {
  const share = Math.min(1, Math.max(0, fraction));
  return { score: round2(share * points), correct: share === 1 };
}

export const NOTHING: GradeResult = { score: 0, correct: false };

export function compact(...texts: (string | undefined)[]): string[] {
  return texts.filter((t): t is string => Boolean(t));
}
