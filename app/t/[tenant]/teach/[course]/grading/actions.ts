'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { gradeAnswerByHand } from '@/lib/assessment/grading';
import { attemptForGrading } from '@/lib/assessment/queue';
import { releaseGrades } from '@/lib/gradebook/release';

// Course staff need not be org instructors (a learner of the organisation may TA a course): any member may
// call, and the grading services decide from the course role.
const ANY_MEMBER = 'learner' as const;

/** Score fields are named `score-<questionId>`; an empty field leaves that answer as it is. */
const GradeInput = z
  .object({ attemptId: z.uuid(), intent: z.enum(['save', 'next']).default('save') })
  .catchall(z.unknown());

/**
 * Saves the hand-given scores of one attempt (every score is checked before any is written), then, for
 * "Save and next", sends the grader on to the next attempt waiting in the queue.
 */
export const gradeAttemptAction = memberAction({ role: ANY_MEMBER, input: GradeInput }, async (tx, ctx, input) => {
  const [t, te] = await Promise.all([getTranslations('grading.attempt'), getTranslations('errors')]);
  const view = await attemptForGrading(tx, ctx, input.attemptId);
  const values: Record<string, string> = {};
  const fieldErrors: Record<string, string> = {};
  const scores: { questionId: string; score: number }[] = [];
  for (const q of view.questions) {
    if (q.type !== 'essay') continue;
    const name = `score-${q.id}`;
    const raw = typeof input[name] === 'string' ? (input[name] as string).trim() : '';
    values[name] = raw;
    if (raw === '') continue;
    const score = Number(raw.replace(',', '.'));
    if (!Number.isFinite(score) || score < 0) fieldErrors[name] = t('scoreInvalid', { points: q.points });
    else if (score > q.points) fieldErrors[name] = te('scoreAbovePoints', { points: q.points });
    else scores.push({ questionId: q.id, score });
  }
  if (Object.keys(fieldErrors).length) {
    return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors, values };
  }
  for (const s of scores) await gradeAnswerByHand(tx, ctx, input.attemptId, s.questionId, { score: s.score });
  const after = await attemptForGrading(tx, ctx, input.attemptId);
  if (input.intent === 'next' && after.nextId && after.nextId !== input.attemptId) {
    return { ok: true, message: t('saved'), data: { redirectTo: `/teach/${after.course.slug}/grading/${after.nextId}` } };
  }
  return { ok: true, message: t('saved'), values };
});

/** Release an item's hand-given grades (a quiz's or an assignment's) to its learners; the service checks the grader. */
export const releaseGradesAction = memberAction({ role: ANY_MEMBER, input: z.object({ itemId: z.uuid() }) }, async (tx, ctx, { itemId }) => {
  const released = await releaseGrades(tx, ctx, itemId);
  return { ok: true, message: (await getTranslations('assignmentGrading'))('released', { count: released }), data: { released } };
});
