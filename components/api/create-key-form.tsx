'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field, SelectField } from '@/components/ui/field';
import { CopyField } from '@/components/ui/copy-field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Resource = { id: string; writable: boolean };

/** Name, scopes (read / write per resource) and expiry; the new key is shown once above the form. */
export function CreateKeyForm({ action, resources }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; resources: Resource[] }) {
  const t = useTranslations('apiKeys');
  const [state, formAction] = useActionState(action, { ok: false });
  const key = state.ok && typeof state.data?.key === 'string' ? state.data.key : null;
  return (
    <div className="space-y-5">
      {key && <CopyField secret id="new-api-key" label={t('createdTitle')} value={key} hint={t('createdBody')} testId="secret-value" />}
      <form action={formAction} className="space-y-4" key={key ?? 'form'}>
        <Field label={t('name')} name="name" required maxLength={80} hint={t('nameHint')} defaultValue={key ? '' : state.values?.name} error={state.fieldErrors?.name} />
        <fieldset aria-describedby={state.fieldErrors?.scopes ? 'scopes-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t('scopes')}</legend>
          <table className="mt-2 text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-600">
                <th className="pr-6 font-medium">
                  <span className="sr-only">{t('scopes')}</span>
                </th>
                <th className="px-3 font-medium">{t('read')}</th>
                <th className="px-3 font-medium">{t('write')}</th>
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="py-1 pr-6 text-left font-normal">
                    {t(`resources.${r.id}` as 'resources.members')}
                  </th>
                  <td className="px-3 text-center">
                    <input type="checkbox" name={`scope:${r.id}:read`} defaultChecked aria-label={`${t(`resources.${r.id}` as 'resources.members')}: ${t('read')}`} />
                  </td>
                  <td className="px-3 text-center">
                    {r.writable && <input type="checkbox" name={`scope:${r.id}:write`} aria-label={`${t(`resources.${r.id}` as 'resources.members')}: ${t('write')}`} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.fieldErrors?.scopes && (
            <p id="scopes-error" className="mt-1 text-sm text-red-700">
              {state.fieldErrors.scopes}
            </p>
          )}
        </fieldset>
        <div className="max-w-xs">
          <SelectField label={t('expires')} name="expiresInDays" defaultValue="365">
            {(['30', '90', '365', '0'] as const).map((d) => (
              <option key={d} value={d}>
                {t(`expiry.${d}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <SubmitButton pendingLabel={t('creating')}>{t('create')}</SubmitButton>
        {!state.ok && <FormMessage state={state} />}
      </form>
    </div>
  );
}
