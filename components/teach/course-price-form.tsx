'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field, SelectField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/** The course's price and currency; empty is free. */
export function CoursePriceForm({ action, courseId, currencies, initial }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; courseId: string; currencies: readonly string[]; initial: { price: string; currency: string } }) {
  const t = useTranslations('teach.settings.price');
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="courseId" value={courseId} />
      <div className="grid grid-cols-[minmax(0,1fr)_6rem] gap-3">
        <Field label={t('amount')} name="price" inputMode="decimal" autoComplete="off" defaultValue={state.values?.price ?? initial.price} hint={t('amountHint')} error={state.fieldErrors?.price} />
        <SelectField label={t('currency')} name="currency" defaultValue={state.values?.currency ?? initial.currency} error={state.fieldErrors?.currency}>
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </SelectField>
      </div>
      <SubmitButton variant="secondary" pendingLabel={t('saving')}>
        {t('save')}
      </SubmitButton>
      <div aria-live="polite">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
