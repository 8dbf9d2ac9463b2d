'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field, TextareaField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Values = { title: string; slug: string; summary: string };

/** Title, address and summary of a program. */
export function ProgramSettingsForm({ action, programId, values }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; programId: string; values: Values }) {
  const t = useTranslations('programs.edit');
  const [state, formAction] = useActionState(action, { ok: false });
  const v = (k: keyof Values) => state.values?.[k] ?? values[k];
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={t('settingsTitle')}>
      <input type="hidden" name="programId" value={programId} />
      <FormMessage state={state} />
      <Field label={t('fieldTitle')} name="title" required maxLength={200} defaultValue={v('title')} error={state.fieldErrors?.title} key={`title-${v('title')}`} />
      <Field label={t('fieldSlug')} name="slug" required maxLength={80} defaultValue={v('slug')} error={state.fieldErrors?.slug} hint={t('slugHint', { slug: v('slug') })} key={`slug-${v('slug')}`} />
      <TextareaField label={t('fieldSummary')} name="summary" rows={3} maxLength={1000} defaultValue={v('summary')} error={state.fieldErrors?.summary} hint={t('summaryHint')} key={`summary-${v('summary')}`} />
      <SubmitButton pendingLabel={t('saving')}>{t('save')}</SubmitButton>
    </form>
  );
}
