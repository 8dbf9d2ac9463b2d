'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect, type ReactNode } from 'react';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { notificationKeys } from './api';

/**
 * A one-button form for the notifications page ("Mark as read", "Mark all as read"). Works without
 * JavaScript; with it, the bell's count is refreshed as soon as the action succeeds.
 */
export function MarkReadForm({
  action,
  id,
  label,
  pendingLabel,
  variant = 'secondary',
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  id?: string;
  /** The button's text; a part only screen readers hear may name what it marks. */
  label: ReactNode;
  pendingLabel: string;
  variant?: 'primary' | 'secondary';
}) {
  const queryClient = useQueryClient();
  const [state, formAction] = useActionState(action, { ok: false });
  useEffect(() => {
    if (state.ok) void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  }, [state, queryClient]);
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      {id && <input type="hidden" name="id" value={id} />}
      <SubmitButton variant={variant} pendingLabel={pendingLabel} className="px-3 py-1.5 text-xs">
        {label}
      </SubmitButton>
      {state.message && (
        <p role={state.ok ? 'status' : 'alert'} className={`text-xs ${state.ok ? 'text-slate-600' : 'text-red-700'}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
