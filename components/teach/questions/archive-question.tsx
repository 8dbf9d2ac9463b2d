'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { ConfirmForm } from '@/components/ui/confirm-form';
import type { ActionState } from '@/lib/auth/action-state';

/** Archive one question, behind a confirmation; attempts that used it keep it. */
export function ArchiveQuestion({ questionId, excerpt, action, redirectTo }: { questionId: string; excerpt: string; action: (prev: ActionState, data: FormData) => Promise<ActionState>; redirectTo?: string }) {
  const t = useTranslations('questions.archive');
  const router = useRouter();
  return (
    <ConfirmForm
      action={action}
      hidden={{ questionId }}
      trigger={t('trigger')}
      triggerLabel={t('triggerLabel', { excerpt })}
      title={t('title')}
      body={t('body', { excerpt })}
      confirmLabel={t('confirm')}
      pendingLabel={t('pending')}
      onDone={() => router.push(redirectTo ?? window.location.pathname + '?saved=archived')}
    />
  );
}
