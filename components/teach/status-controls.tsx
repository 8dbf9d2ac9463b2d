'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { ActionState } from '@/lib/auth/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { CourseStatus } from './course-status-badge';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Publish, unpublish (back to draft) or archive, each after a confirmation that says what it does. */
export function StatusControls({ courseId, title, status, setStatus }: { courseId: string; title: string; status: CourseStatus; setStatus: Action }) {
  const t = useTranslations('teach.settings.status');
  const [done, setDone] = useState<{ message: string; n: number }>({ message: '', n: 0 });
  const live = useRef<HTMLParagraphElement>(null);
  // The button that was pressed is gone once the status changes: keep keyboard focus in this panel.
  useEffect(() => {
    if (done.n > 0) live.current?.focus();
  }, [done]);
  const onDone = (s: ActionState) => setDone((d) => ({ message: s.message ?? '', n: d.n + 1 }));
  const targets: { to: CourseStatus; key: 'publish' | 'unpublish' | 'archive'; variant: 'primary' | 'secondary' }[] = [
    ...(status !== 'published' ? [{ to: 'published' as const, key: 'publish' as const, variant: 'primary' as const }] : []),
    ...(status === 'published' ? [{ to: 'draft' as const, key: 'unpublish' as const, variant: 'secondary' as const }] : []),
    ...(status !== 'archived' ? [{ to: 'archived' as const, key: 'archive' as const, variant: 'secondary' as const }] : []),
  ];
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">{t(`explain.${status}`)}</p>
      <div className="flex flex-wrap gap-2">
        {targets.map((target) => (
          <ConfirmAction
            key={target.key}
            action={setStatus}
            hidden={{ courseId, status: target.to }}
            trigger={t(`${target.key}.button`)}
            triggerVariant={target.variant}
            title={t(`${target.key}.title`, { title })}
            body={t(`${target.key}.body`)}
            confirmLabel={t(`${target.key}.confirm`)}
            confirmVariant={target.key === 'publish' ? 'primary' : target.key === 'archive' ? 'danger' : 'secondary'}
            pendingLabel={t(`${target.key}.pending`)}
            onDone={onDone}
          />
        ))}
      </div>
      <p ref={live} tabIndex={-1} role="status" aria-live="polite" className="text-sm font-medium text-emerald-800 empty:hidden focus:outline-none">
        {done.message}
      </p>
    </div>
  );
}
