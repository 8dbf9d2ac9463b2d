'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { CopyField } from '@/components/ui/copy-field';

/** Create a SCIM token; the secret comes back once and is shown here until the page is left. */
export function TokenForm({ action }: { action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('provisioning');
  const [state, formAction] = useActionState(action, { ok: false });
  const token = state.ok && typeof state.data?.token === 'string' ? state.data.token : null;
  return (
    <div className="space-y-4">
      <form action={formAction} className="space-y-4" noValidate>
        <FormMessage state={state} />
        <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start">
          <Field
            label={t('tokenName')}
            name="name"
            required
            maxLength={80}
            hint={t('tokenNameHint')}
            key={state.ok ? `made-${String(state.data?.token)}` : 'draft'}
            defaultValue={state.ok ? '' : state.values?.name}
            error={state.fieldErrors?.name}
          />
          {/* Level with the input, above the hint (the label is 1.5rem tall). */}
          <SubmitButton pendingLabel={t('creating')} className="sm:mt-6">
            {t('create')}
          </SubmitButton>
        </div>
      </form>
      {token && (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-4">
          <CopyField secret id="scim-token" label={t('tokenLabel')} value={token} hint={t('tokenHint')} testId="scim-token" />
        </div>
      )}
    </div>
  );
}
