'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/** Title only: the course is created as a draft and its settings open next. */
export function NewCourseForm({ action }: { action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('teach.new');
  const router = useRouter();
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.redirectTo === 'string') router.push(next.data.redirectTo);
    return next;
  }, { ok: false });
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {!state.fieldErrors && <FormMessage state={state} />}
      <Field
        label={t('fieldTitle')}
        name="title"
        required
        autoFocus
        maxLength={200}
        placeholder={t('titlePlaceholder')}
        hint={t('titleHint')}
        defaultValue={state.values?.title}
        error={state.fieldErrors?.title}
      />
      <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
    </form>
  );
}
