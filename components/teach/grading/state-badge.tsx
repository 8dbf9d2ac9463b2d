import { getTranslations } from 'next-intl/server';
import type { LearnerState } from '@/lib/assignments/grading';

const tones: Record<LearnerState, string> = {
  not_submitted: 'bg-slate-100 text-slate-700 ring-slate-200',
  submitted: 'bg-amber-50 text-amber-900 ring-amber-200',
  graded_hidden: 'bg-sky-50 text-sky-900 ring-sky-200',
  released: 'bg-green-50 text-green-800 ring-green-200',
};

/** A learner's state on an assignment, in words (and colour), plus "resubmitted" when a newer version waits. */
export async function StateBadge({ state, waiting }: { state: LearnerState; waiting: boolean }) {
  const t = await getTranslations('assignmentGrading.states');
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[state]}`}>{t(state)}</span>
      {waiting && state !== 'submitted' && <span className="rounded-full bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-200">{t('resubmitted')}</span>}
    </span>
  );
}
