'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** "Retry" for one dead letter, or for all of them (`id` = 'all'), after a confirmation; the result is announced. */
export function RetryDeadLetter({ id, name, count, action }: { id: string; name?: string; count?: number; action: Action }) {
  const t = useTranslations('jobs');
  const [message, setMessage] = useState('');
  const all = id === 'all';
  return (
    <div className="flex flex-col items-start gap-1">
      <ConfirmAction
        action={action}
        hidden={{ id }}
        trigger={all ? t('retryAll', { n: count ?? 0 }) : t('retry')}
        triggerLabel={all ? undefined : t('retryLabel', { name: name ?? '' })}
        triggerVariant={all ? 'primary' : 'secondary'}
        title={all ? t('retryAllTitle', { n: count ?? 0 }) : t('retryTitle', { name: name ?? '' })}
        body={t('retryBody')}
        confirmLabel={t('retryConfirm')}
        pendingLabel={t('retrying')}
        onDone={(s) => setMessage(s.message ?? '')}
      />
      <p role="status" aria-live="polite" className="text-sm text-emerald-800 empty:hidden">
        {message}
      </p>
    </div>
  );
}
