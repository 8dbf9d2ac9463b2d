'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { SelectField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Enrol one or more existing members by email address, all with the same course role. */
export function AddByEmailForm({ action, courseId, roles, maxEmails }: { action: Action; courseId: string; roles: { value: string; label: string }[]; maxEmails: number }) {
  const t = useTranslations('roster.add');
  const [state, formAction] = useActionState(action, { ok: false });
  const error = state.fieldErrors?.emails;
  return (
    <form action={formAction} className="space-y-4" noValidate aria-labelledby="add-by-email-title">
      <input type="hidden" name="courseId" value={courseId} />
      <div aria-live="polite">{state.ok && <FormMessage state={state} />}</div>
      {!state.ok && state.message && !error && <FormMessage state={state} />}
      <div>
        <label htmlFor="add-emails" className="block text-sm font-medium text-slate-800">
          {t('emailsLabel')}
        </label>
        <textarea
          id="add-emails"
          name="emails"
          rows={4}
          required
          key={state.ok ? `sent-${state.message}` : 'draft'}
          defaultValue={state.ok ? '' : state.values?.emails}
          aria-invalid={error ? true : undefined}
          aria-describedby={`add-emails-hint${error ? ' add-emails-error' : ''}`}
          placeholder={t('emailsPlaceholder')}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600"
        />
        <p id="add-emails-hint" className="mt-1 text-xs text-slate-600">
          {t('emailsHint', { max: maxEmails })}
        </p>
        {error && (
          <p id="add-emails-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <div className="w-56">
          <SelectField label={t('roleLabel')} name="role" id="add-emails-role" defaultValue={state.values?.role ?? 'learner'}>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </SelectField>
        </div>
        <SubmitButton pendingLabel={t('adding')}>{t('submit')}</SubmitButton>
      </div>
    </form>
  );
}
