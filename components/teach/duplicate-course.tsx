'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import type { ActionState } from '@/lib/auth/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';

/** Copy the course (settings and outline, no learners) into a new draft, then open the copy. */
export function DuplicateCourse({ courseId, title, action }: { courseId: string; title: string; action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('teach.settings.duplicate');
  const router = useRouter();
  return (
    <ConfirmAction
      action={action}
      hidden={{ courseId }}
      trigger={t('button')}
      title={t('title', { title })}
      body={t('body')}
      confirmLabel={t('confirm')}
      pendingLabel={t('pending')}
      onDone={(s) => {
        if (typeof s.data?.redirectTo === 'string') router.push(s.data.redirectTo);
      }}
    />
  );
}
