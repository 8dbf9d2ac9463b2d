'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field, SelectField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

export function InviteForm({ action, roles }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; roles: { value: string; label: string }[] }) {
  const t = useTranslations('members');
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <Field label={t('email')} name="email" type="email" required key={state.ok ? 'sent' : 'draft'} defaultValue={state.ok ? '' : state.values?.email} error={state.fieldErrors?.email} />
        <SelectField label={t('role')} name="role" defaultValue={state.values?.role ?? 'learner'} error={state.fieldErrors?.role}>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        <SubmitButton pendingLabel={t('inviting')}>{t('invite')}</SubmitButton>
      </div>
    </form>
  );
}
