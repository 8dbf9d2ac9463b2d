'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

/** "Release grades" for one item, behind a confirmation that says how many learners will see a grade. */
export function ReleaseGrades({ action, itemId, title, hidden, kind = 'assignment' }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; itemId: string; title: string; hidden: number; kind?: 'assignment' | 'quiz' }) {
  const t = useTranslations('assignmentGrading');
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <ConfirmAction
        action={action}
        hidden={{ itemId }}
        trigger={t('release')}
        triggerLabel={t('releaseLabel', { title })}
        triggerVariant="primary"
        title={t('releaseTitle', { title })}
        body={<p>{hidden > 0 ? t(kind === 'quiz' ? 'releaseBodyQuiz' : 'releaseBody', { count: hidden }) : t('releaseNone')}</p>}
        confirmLabel={t('releaseConfirm')}
        pendingLabel={t('releasing')}
        onDone={(s) => setDone(s.message ?? null)}
      />
      <p role="status" aria-live="polite" className="text-sm text-green-800">
        {done}
      </p>
    </div>
  );
}
