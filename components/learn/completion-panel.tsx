'use client';

import type { Completion } from '@/lib/courses/kinds/types';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { buttonClass } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { Icon } from './icons';

/**
 * Under an item: "Mark complete" (manual items), the watching rule (uploaded videos), or ✓ Completed, and
 * the way on. One live region announces the change once the refreshed page says the item is complete.
 */
export function CompletionPanel({
  action,
  itemId,
  completed,
  completion,
  preview,
  next,
  courseComplete,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  itemId: string;
  completed: boolean;
  completion: Completion;
  preview: boolean;
  next: { href: string; title: string } | null;
  courseComplete: boolean;
}) {
  const t = useTranslations('player');
  const [state, formAction] = useActionState(action, { ok: false });
  const justCompleted = state.ok && completed;
  return (
    <section aria-label={t('completionLabel')} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between">
      <div aria-live="polite" className="text-sm">
        {preview ? (
          <p className="flex items-center gap-2 text-slate-700">
            <Icon name="eye" />
            {t('previewNotRecorded')}
          </p>
        ) : completed ? (
          <>
            <p className="flex items-center gap-2 font-semibold text-green-800">
              <span className="flex size-6 items-center justify-center rounded-full bg-green-600 text-white">
                <Icon name="check" className="size-4" />
              </span>
              {justCompleted ? t('markedComplete') : t('itemCompleted')}
            </p>
            {justCompleted && courseComplete && <p className="mt-1 text-slate-700">{t('courseCompleteShort')}</p>}
          </>
        ) : (
          <p className="text-slate-700">{completion === 'watch' ? t('watchToComplete') : completion === 'attempt' ? t('submitToComplete') : completion === 'submission' ? t('submissionToComplete') : t('markCompleteHint')}</p>
        )}
        {!state.ok && state.message && (
          <p role="alert" className="mt-1 text-red-700">
            {state.message}
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        {!preview && !completed && completion === 'manual' && (
          <form action={formAction}>
            <input type="hidden" name="itemId" value={itemId} />
            <SubmitButton pendingLabel={t('marking')}>
              <Icon name="check" />
              {t('markComplete')}
            </SubmitButton>
          </form>
        )}
        {next && (
          <Link href={next.href} className={buttonClass(completed || preview ? 'primary' : 'secondary')}>
            {t('next')}
            <span className="sr-only">: {next.title}</span>
            <Icon name="arrowRight" />
          </Link>
        )}
      </div>
    </section>
  );
}
