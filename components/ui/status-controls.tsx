'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

export type PublishStatus = 'draft' | 'published' | 'archived';
type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * Publish, back to draft, or archive — each after a confirmation that says what it does — for anything with
 * that life cycle (courses, programs). `messages` names the namespace with explain.<status> and, per
 * publish/unpublish/archive, button, title, body, confirm and pending; `hidden` identifies the thing to the action.
 */
export function StatusControls({ messages, hidden, title, status, action }: { messages: 'teach.settings.status' | 'programs.status'; hidden: Record<string, string>; title: string; status: PublishStatus; action: Action }) {
  const t = useTranslations(messages) as unknown as (key: string, values?: Record<string, string>) => string;
  const [done, setDone] = useState<{ message: string; n: number }>({ message: '', n: 0 });
  const live = useRef<HTMLParagraphElement>(null);
  // The button that was pressed is gone once the status changes: keep keyboard focus in this panel.
  useEffect(() => {
    if (done.n > 0) live.current?.focus();
  }, [done]);
  const targets: { to: PublishStatus; key: 'publish' | 'unpublish' | 'archive'; variant: 'primary' | 'secondary' }[] = [
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
            action={action}
            hidden={{ ...hidden, status: target.to }}
            trigger={t(`${target.key}.button`)}
            triggerVariant={target.variant}
            title={t(`${target.key}.title`, { title })}
            body={t(`${target.key}.body`)}
            confirmLabel={t(`${target.key}.confirm`)}
            confirmVariant={target.key === 'publish' ? 'primary' : target.key === 'archive' ? 'danger' : 'secondary'}
            pendingLabel={t(`${target.key}.pending`)}
            onDone={(s) => setDone((d) => ({ message: s.message ?? '', n: d.n + 1 }))}
          />
        ))}
      </div>
      <p ref={live} tabIndex={-1} role="status" aria-live="polite" className="text-sm font-medium text-emerald-800 empty:hidden focus:outline-none">
        {done.message}
      </p>
    </div>
  );
}
