'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/** Title only: the program is created as a draft and opens next, to add its courses. */
export function NewProgramForm({ action }: { action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('programs.admin');
  const router = useRouter();
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.redirectTo === 'string') router.push(next.data.redirectTo);
    return next;
  }, { ok: false });
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={t('createTitle')}>
      {!state.fieldErrors && <FormMessage state={state} />}
      <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start">
        <Field label={t('fieldTitle')} name="title" required maxLength={200} placeholder={t('titlePlaceholder')} defaultValue={state.values?.title} error={state.fieldErrors?.title} />
        <SubmitButton pendingLabel={t('creating')} className="sm:mt-6">
          {t('create')}
        </SubmitButton>
      </div>
    </form>
  );
}
