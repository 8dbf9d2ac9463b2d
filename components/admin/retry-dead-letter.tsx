'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * "Retry" for one dead letter, or for all of them (`id` = 'all'), after a confirmation. The retried rows leave
 * the list (and this button with them), so the result is shown by the page: `?retried=<n>`.
 */
export function RetryDeadLetter({ id, name, count, action }: { id: string; name?: string; count?: number; action: Action }) {
  const t = useTranslations('jobs');
  const router = useRouter();
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
        onDone={(s) => router.push(`/admin/jobs?retried=${Number((s.data as { retried?: number } | undefined)?.retried ?? 0)}`)}
      />
    </div>
  );
}
