'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

export type AccommodationRow = { itemId: string; title: string; timeLimitMinutes: number | null; attemptsAllowed: number; extraMinutes: number; extraAttempts: number };

/** One quiz's accommodation for one learner: extra minutes and extra attempts, saved together. */
export function AccommodationForm({ action, userId, quiz, canEdit }: { action: Action; userId: string; quiz: AccommodationRow; canEdit: boolean }) {
  const t = useTranslations('roster.accommodations');
  const [state, formAction] = useActionState(action, { ok: false });
  const id = (name: string) => `acc-${quiz.itemId}-${name}`;
  const base = [
    quiz.timeLimitMinutes ? t('timeLimit', { minutes: quiz.timeLimitMinutes }) : t('noTimeLimit'),
    quiz.attemptsAllowed ? t('attempts', { count: quiz.attemptsAllowed }) : t('unlimitedAttempts'),
  ].join(' · ');
  return (
    <form action={formAction} noValidate className="grid gap-3 py-4 sm:grid-cols-[minmax(0,1fr)_9rem_9rem_auto] sm:items-start" aria-label={t('formLabel', { quiz: quiz.title })}>
      <input type="hidden" name="itemId" value={quiz.itemId} />
      <input type="hidden" name="userId" value={userId} />
      <div className="self-center">
        <p className="font-medium text-slate-900">{quiz.title}</p>
        <p className="text-xs text-slate-600">{base}</p>
        <div aria-live="polite" className="mt-2 empty:mt-0">
          {state.message && !state.fieldErrors && <FormMessage state={state} />}
        </div>
      </div>
      <Field
        label={t('extraMinutes')}
        name="extraMinutes"
        id={id('minutes')}
        type="number"
        min={0}
        max={1440}
        inputMode="numeric"
        disabled={!canEdit}
        defaultValue={state.values?.extraMinutes ?? String(quiz.extraMinutes)}
        error={state.fieldErrors?.extraMinutes}
      />
      <Field
        label={t('extraAttempts')}
        name="extraAttempts"
        id={id('attempts')}
        type="number"
        min={0}
        max={20}
        inputMode="numeric"
        disabled={!canEdit}
        defaultValue={state.values?.extraAttempts ?? String(quiz.extraAttempts)}
        error={state.fieldErrors?.extraAttempts}
      />
      {canEdit && (
        <div className="sm:pt-6">
          <SubmitButton pendingLabel={t('saving')} aria-label={t('saveFor', { quiz: quiz.title })}>
            {t('save')}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
