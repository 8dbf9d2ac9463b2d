'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * The "Import N rows" button: it sends only the import's id (the server has the checked rows). On success
 * the page re-renders with the progress bar; a refusal (say, too few seats now) is shown with where to fix it.
 */
export function StartImportForm({ importId, action, label, pendingLabel, disabled }: { importId: string; action: Action; label: string; pendingLabel: string; disabled: boolean }) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="importId" value={importId} />
      {!state.ok && <FormMessage state={state} />}
      <SubmitButton pendingLabel={pendingLabel} disabled={disabled}>
        {label}
      </SubmitButton>
    </form>
  );
}
