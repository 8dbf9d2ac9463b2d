'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/** One button that turns course sales on or off. */
export function CourseSalesForm({ action, on, labels }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; on: boolean; labels: { turnOn: string; turnOff: string; saving: string } }) {
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="sellsCourses" value={on ? 'off' : 'on'} />
      <SubmitButton variant={on ? 'secondary' : 'primary'} pendingLabel={labels.saving}>
        {on ? labels.turnOff : labels.turnOn}
      </SubmitButton>
      <div aria-live="polite">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
