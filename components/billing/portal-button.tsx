'use client';

import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { useNavigatingAction } from '@/components/auth/auth-form';

/** Opens Stripe's Billing Portal for this organisation's customer. */
export function PortalButton({ action, label, pendingLabel }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; label: string; pendingLabel: string }) {
  const [state, formAction] = useNavigatingAction(action);
  return (
    <form action={formAction} className="space-y-3">
      <SubmitButton variant="secondary" pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
      {!state.ok && <FormMessage state={state} />}
    </form>
  );
}
