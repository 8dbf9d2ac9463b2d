import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { ValidationError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';
import { FormFlag, OptionalDate, optionalWholeNumber } from '../schemas';
import { defineKind } from './types';

export const RESULTS_POLICIES = ['immediately', 'after_due', 'never'] as const;
export type ResultsPolicy = (typeof RESULTS_POLICIES)[number];

export type QuizContent = {
  /** Questions every attempt gets, in this order (unless shuffled). */
  questionIds: string[];
  /** Plus N questions drawn at random per attempt from the bank's questions with a tag. */
  pools: { tag: string; count: number }[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  /** 0 = unlimited. */
  attemptsAllowed: number;
  timeLimitMinutes: number | null;
  availableFrom: string | null;
  availableUntil: string | null;
  dueAt: string | null;
  /** Percent needed to pass; null = any submitted attempt completes the item. */
  passMark: number | null;
  showScore: ResultsPolicy;
  showAnswers: ResultsPolicy;
};

const optionalDate = OptionalDate.transform((d) => d?.toISOString() ?? null);
const optionalInt = (min: number, max: number) => optionalWholeNumber(min, max, v('daysInvalid'));
const flag = FormFlag;
const ids = z.preprocess((x) => (typeof x === 'string' ? x.split(/[\s,]+/).filter(Boolean) : x), z.array(z.uuid()).max(200)).default([]);
const pools = z
  .preprocess((x) => (typeof x === 'string' ? (x.trim() ? JSON.parse(x) : []) : x), z.array(z.object({ tag: z.string().trim().toLowerCase().min(1).max(40), count: z.number().int().min(1).max(100) })).max(20))
  .default([]);

const QuizInput = z.object({
  questionIds: ids,
  pools,
  shuffleQuestions: flag,
  shuffleOptions: flag,
  attemptsAllowed: optionalInt(0, 100).transform((n) => n ?? 1),
  timeLimitMinutes: optionalInt(1, 24 * 60),
  availableFrom: optionalDate,
  availableUntil: optionalDate,
  dueAt: optionalDate,
  passMark: optionalInt(0, 100),
  showScore: z.enum(RESULTS_POLICIES).default('immediately'),
  showAnswers: z.enum(RESULTS_POLICIES).default('after_due'),
});

/**
 * A quiz: fixed questions from the course's bank and/or questions drawn from tagged pools, with attempts,
 * time limit, availability window, due date, pass mark and a results policy. Completed by submitting an
 * attempt (that passes, when there is a pass mark). Attempts and grading live in lib/assessment.
 */
export const quiz = defineKind<QuizContent>({
  kind: 'quiz',
  async parseContent(raw, { tx, courseId }) {
    let parsed;
    try {
      parsed = QuizInput.safeParse(raw);
    } catch {
      throw new ValidationError('quizInvalid', { field: 'pools' }); // pools was not JSON
    }
    if (!parsed.success) throw new ValidationError('quizInvalid', { field: String(parsed.error.issues[0]?.path[0] ?? 'questionIds') });
    const input = parsed.data;
    if (!input.questionIds.length && !input.pools.length) throw new ValidationError('quizEmpty', { field: 'questionIds' });
    if (input.availableFrom && input.availableUntil && input.availableUntil <= input.availableFrom) throw new ValidationError('courseDatesOrder', { field: 'availableUntil' });
    if (input.questionIds.length) {
      const found = await tx
        .select({ id: schema.questions.id })
        .from(schema.questions)
        .where(and(eq(schema.questions.courseId, courseId), inArray(schema.questions.id, input.questionIds), isNull(schema.questions.archivedAt)));
      if (found.length !== new Set(input.questionIds).size) throw new ValidationError('quizQuestionMissing', { field: 'questionIds' });
    }
    return { ...input, questionIds: [...new Set(input.questionIds)] };
  },
  completion: () => 'attempt',
});
