'use client';

import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/action-state';
import { useAnnounce } from './announcer';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * Approve or decline one request to join. Success is announced page-wide (the request leaves the list);
 * a refusal, such as a full course, stays beside the buttons.
 */
export function RequestDecision({ action, enrolmentId, name }: { action: Action; enrolmentId: string; name: string }) {
  const announce = useAnnounce();
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && next.message) announce(next.message, { focus: true });
    return next;
  }, { ok: false });
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="enrolmentId" value={enrolmentId} />
      <input type="hidden" name="name" value={name} />
      <Buttons name={name} />
      {state.message && !state.ok && (
        <span role="alert" className="max-w-64 text-right text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

function Buttons({ name }: { name: string }) {
  const t = useTranslations('roster');
  const { pending, data } = useFormStatus();
  const choice = pending ? data?.get('decision') : null;
  return (
    <div className="flex gap-2">
      <Button type="submit" name="decision" value="approve" variant="secondary" disabled={pending} className="px-3 py-1">
        {choice === 'approve' ? t('approving') : t('approve')}
        <span className="sr-only"> {name}</span>
      </Button>
      <Button type="submit" name="decision" value="decline" variant="danger-ghost" disabled={pending} className="px-3 py-1">
        {choice === 'decline' ? t('declining') : t('decline')}
        <span className="sr-only"> {name}</span>
      </Button>
    </div>
  );
}
