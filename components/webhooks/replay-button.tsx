'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Replay one delivery now (a new attempt, same webhook-id); its outcome is announced beside the button. */
export function ReplayButton({ deliveryId, label, action }: { deliveryId: string; label: string; action: Action }) {
  const t = useTranslations('webhooks.log');
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <SubmitButton variant="secondary" pendingLabel={t('replaying')} aria-label={label} className="px-3 py-1 text-xs">
        {t('replay')}
      </SubmitButton>
      <span role="status" className={`max-w-48 text-xs ${state.ok && state.data?.delivered ? 'text-green-800' : 'text-red-800'}`}>
        {state.message}
      </span>
    </form>
  );
}
