'use client';

import { useActionState, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/**
 * A settings form posting to a server action: its fields come from the page, the result (or the refusal,
 * naming the field) shows under it. `fieldError` lets the page mark a field from the last result.
 */
export function ActionForm({
  action,
  children,
  submitLabel,
  pendingLabel,
  className = '',
  label,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  children: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  className?: string;
  label?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className={`space-y-3 ${className}`} aria-label={label}>
      {children}
      {state.message && (
        <Alert tone={state.ok ? 'success' : 'error'}>
          {state.message}
          {!state.ok && state.fieldErrors && Object.values(state.fieldErrors).some((m) => m !== state.message) && (
            <ul className="mt-1 list-disc pl-5">
              {[...new Set(Object.values(state.fieldErrors))].map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <SubmitButton pendingLabel={pendingLabel}>{submitLabel}</SubmitButton>
    </form>
  );
}
