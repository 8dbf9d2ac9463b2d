'use client';

import type { ReactNode } from 'react';
import { ConfirmForm } from '@/components/ui/confirm-form';
import type { ActionState } from '@/lib/auth/action-state';
import { useAnnounce } from './announcer';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Remove someone from the course, behind a confirmation that says their progress goes too. */
export function RemoveEnrolment({ action, enrolmentId, name, labels }: { action: Action; enrolmentId: string; name: string; labels: { trigger: string; triggerLabel: string; title: string; body: ReactNode; confirm: string; pending: string } }) {
  const announce = useAnnounce();
  // The dialog lives inside the table cell: keep its text from inheriting the cell's right alignment.
  return (
    <div className="text-left">
      <ConfirmForm
        action={async (prev, data) => {
          const next = await action(prev, data);
          if (next.ok && next.message) announce(next.message, { focus: true });
          return next;
        }}
        hidden={{ enrolmentId, name }}
        trigger={labels.trigger}
        triggerLabel={labels.triggerLabel}
        title={labels.title}
        body={labels.body}
        confirmLabel={labels.confirm}
        pendingLabel={labels.pending}
      />
    </div>
  );
}
