import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, IdList, listWithIds, NOTHING, OptionText, QuestionId, scored } from './shared';
import { defineQuestionType } from './types';

export const OrderingDefinition = z.object({
  /** In the correct order. */
  items: listWithIds(z.object({ id: QuestionId, text: OptionText }), 2, v('questionOptionsTooFew')),
  generalFeedback: FeedbackText,
});
export type OrderingDefinition = z.infer<typeof OrderingDefinition>;

/**
 * Put the items in order; the answer is every item id, once. Partial credit: the share of items in their
 * correct position.
 */
export const ordering = defineQuestionType<OrderingDefinition, string[]>({
  type: 'ordering',
  definition: OrderingDefinition,
  answer: IdList,
  fits: (def, answer) => answer.length === def.items.length && def.items.every((item) => answer.includes(item.id)),
  grade(def, answer, points) {
    if (!answer || answer.length === 0) return NOTHING;
    const inPlace = def.items.filter((item, i) => answer[i] === item.id).length;
    return scored(inPlace / def.items.length, points);
  },
  // The stored order is the key, so learners get the items sorted by id — a function of the set alone.
  // The caller still shuffles them per attempt (`shuffled`), as for options.
  forLearner: (def) => ({ items: def.items.map(({ id, text }) => ({ id, text })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) }),
  feedback: (def) => compact(def.generalFeedback),
});
