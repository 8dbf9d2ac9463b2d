'use client';

import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { useNavigatingAction } from '@/components/auth/auth-form';
import type { ActionState } from '@/lib/auth/action-state';

/** "Enrol" / "Request to join": on success an open course opens in the player, a request shows as pending. */
export function EnrolButton({ action, courseId, label, pendingLabel }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; courseId: string; label: string; pendingLabel: string }) {
  const [state, formAction] = useNavigatingAction(action);
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="courseId" value={courseId} />
      <SubmitButton pendingLabel={pendingLabel} className="w-full py-3 text-base">
        {label}
      </SubmitButton>
      <div aria-live="polite">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
