'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { gradeSubmission, submissionForGrading } from '@/lib/assignments/grading';
import { memberAction } from '@/lib/auth/action';

// Course staff need not be org instructors (a learner of the organisation may TA a course): any member may
// call, and the services decide from the course role.
const ANY_MEMBER = 'learner' as const;

/**
 * The grading form: `level-<criterionId>` (the chosen level) and `comment-<criterionId>` per criterion, or
 * `points` without a rubric; `comment` overall; `version` graded. Empty points are "no grade yet".
 */
const GradeForm = z
  .object({ itemId: z.uuid(), userId: z.uuid(), version: z.coerce.number().int().min(1), intent: z.enum(['save', 'next']).default('save'), comment: z.string().max(20_000).optional() })
  .catchall(z.unknown());

export const gradeAssignmentAction = memberAction({ role: ANY_MEMBER, input: GradeForm }, async (tx, ctx, input) => {
  const t = await getTranslations('assignmentGrading');
  const view = await submissionForGrading(tx, ctx, input.itemId, input.userId);
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : '');
  let points: number | undefined;
  let rubric: Record<string, { levelId: string; comment?: string }> | undefined;
  if (view.content.rubric) {
    rubric = {};
    for (const c of view.content.rubric.criteria) {
      const levelId = str(`level-${c.id}`);
      if (levelId) rubric[c.id] = { levelId, comment: str(`comment-${c.id}`) };
    }
  } else {
    const raw = str('points').trim();
    points = raw === '' ? Number.NaN : Number(raw.replace(',', '.'));
  }
  await gradeSubmission(tx, ctx, input.itemId, input.userId, { version: input.version, rubric, points, comment: input.comment ?? '' });
  const after = await submissionForGrading(tx, ctx, input.itemId, input.userId);
  const next = after.nextWaitingUserId ?? after.nextUserId;
  if (input.intent === 'next' && next) {
    return { ok: true, message: t('saved'), data: { redirectTo: `/teach/${after.course.slug}/grading/assignments/${input.itemId}/${next}` } };
  }
  return { ok: true, message: t('saved') };
});
