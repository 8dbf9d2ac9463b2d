'use client';

import { useAnnounce } from '@/components/teach/roster/announcer';
import { ConfirmForm } from '@/components/ui/confirm-form';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Delete an announcement behind a confirmation; the result outlives the row (page-level announcer). */
export function DeleteAnnouncement({ action, announcementId, labels }: { action: Action; announcementId: string; labels: { trigger: string; triggerLabel: string; title: string; body: string; confirm: string; pending: string } }) {
  const announce = useAnnounce();
  return (
    <ConfirmForm
      action={action}
      onDone={(s) => s.message && announce(s.message, { focus: true })}
      hidden={{ announcementId }}
      trigger={labels.trigger}
      triggerLabel={labels.triggerLabel}
      triggerClassName="px-3 py-1.5"
      title={labels.title}
      body={labels.body}
      confirmLabel={labels.confirm}
      pendingLabel={labels.pending}
    />
  );
}
