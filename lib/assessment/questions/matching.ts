import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { compact, FeedbackText, listWithIds, NOTHING, OptionText, QuestionId, scored } from './shared';
import { defineQuestionType } from './types';

export const MatchingDefinition = z
  .object({
    prompts: listWithIds(z.object({ id: QuestionId, text: OptionText, matchId: QuestionId }), 1, v('matchingPromptsMissing')),
    /** Every possible match; those no prompt points at are distractors. Several prompts may share one. */
    matches: listWithIds(z.object({ id: QuestionId, text: OptionText }), 1, v('questionOptionsTooFew')),
    generalFeedback: FeedbackText,
  })
  .superRefine((def, ctx) => {
    const known = new Set(def.matches.map((m) => m.id));
    def.prompts.forEach((p, i) => {
      if (!known.has(p.matchId)) ctx.addIssue({ code: 'custom', message: v('matchingUnknownMatch'), path: ['prompts', i, 'matchId'] });
    });
  });
export type MatchingDefinition = z.infer<typeof MatchingDefinition>;

/** promptId → matchId; prompts left out are unanswered. */
export const MatchingAnswer = z.record(QuestionId, QuestionId).refine((pairs) => Object.keys(pairs).length <= 50);
export type MatchingAnswer = z.infer<typeof MatchingAnswer>;

/**
 * Pair each prompt with a match. Partial credit: the share of prompts paired right. An answer naming a
 * prompt or match that isn't in the question doesn't fit (`gradeAnswer` refuses it); graded directly,
 * such a pair simply earns nothing.
 */
export const matching = defineQuestionType<MatchingDefinition, MatchingAnswer>({
  type: 'matching',
  definition: MatchingDefinition,
  answer: MatchingAnswer,
  fits(def, answer) {
    const prompts = new Set(def.prompts.map((p) => p.id));
    const matches = new Set(def.matches.map((m) => m.id));
    return Object.entries(answer).every(([promptId, matchId]) => prompts.has(promptId) && matches.has(matchId));
  },
  grade(def, answer, points) {
    if (!answer) return NOTHING;
    const right = def.prompts.filter((p) => Object.hasOwn(answer, p.id) && answer[p.id] === p.matchId).length;
    return scored(right / def.prompts.length, points);
  },
  forLearner: (def) => ({ prompts: def.prompts.map(({ id, text }) => ({ id, text })), matches: def.matches.map(({ id, text }) => ({ id, text })) }),
  feedback: (def) => compact(def.generalFeedback),
});
