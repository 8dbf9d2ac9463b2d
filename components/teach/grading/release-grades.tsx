'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

/** "Release grades" for one item, behind a confirmation that says how many learners will see a grade. */
export function ReleaseGrades({ action, itemId, title, hidden, kind = 'assignment', afterHref }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; itemId: string; title: string; hidden: number; kind?: 'assignment' | 'quiz'; /** Where to go once released (when this button leaves the page with its last hidden grade); `{released}` is replaced by the count. */ afterHref?: string }) {
  const t = useTranslations('assignmentGrading');
  const router = useRouter();
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
        onDone={(s) => {
          if (afterHref) router.push(afterHref.replace('{released}', String((s.data as { released?: number } | undefined)?.released ?? 0)));
          else setDone(s.message ?? null);
        }}
      />
      <p role="status" aria-live="polite" className="text-sm text-green-800">
        {done}
      </p>
    </div>
  );
}
