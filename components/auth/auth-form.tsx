'use client';

import { useTranslations } from 'next-intl';
import { useActionState, type ReactNode } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

export type AuthField = { name: string; label: string; type?: string; autoComplete?: string; hint?: string; required?: boolean; defaultValue?: string; readOnly?: boolean };

/**
 * The sign-in, sign-up, reset and invitation forms: fields, a message line, a pending button.
 * Typed values survive a failed attempt (passwords excepted).
 */
export function AuthForm({
  action,
  fields,
  hidden = {},
  submit,
  pending,
  footer,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  fields: AuthField[];
  hidden?: Record<string, string>;
  submit: string;
  pending: string;
  footer?: ReactNode;
}) {
  const t = useTranslations('common');
  const [state, formAction] = useNavigatingAction(action);
  return (
    <form action={formAction} className="space-y-5" noValidate aria-label={submit}>
      <FormMessage state={state} />
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {fields.map((f) => (
        <Field
          key={f.name}
          name={f.name}
          label={f.label}
          type={f.type ?? 'text'}
          autoComplete={f.autoComplete}
          hint={f.hint}
          required={f.required ?? true}
          readOnly={f.readOnly}
          defaultValue={f.type === 'password' ? undefined : (state.values?.[f.name] ?? f.defaultValue)}
          error={state.fieldErrors?.[f.name]}
        />
      ))}
      <SubmitButton pendingLabel={pending} className="w-full">
        {submit}
      </SubmitButton>
      {footer}
      <p className="sr-only">{t('requiredNote')}</p>
    </form>
  );
}

/**
 * useActionState that follows `data.redirectTo` with a full navigation as soon as the action answers —
 * before the refreshed page (a new session re-renders it) can replace the form that asked.
 */
export function useNavigatingAction(action: (prev: ActionState, data: FormData) => Promise<ActionState>) {
  return useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.redirectTo === 'string') window.location.assign(next.data.redirectTo);
    return next;
  }, { ok: false });
}
