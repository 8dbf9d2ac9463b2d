'use client';

import { useActionState, useRef, type ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import type { ActionState } from '@/lib/auth/action-state';
import { Button } from './button';
import { SubmitButton } from './submit-button';

/**
 * A destructive action behind a confirmation dialog (native <dialog>: focus is trapped, Escape cancels).
 */
export function ConfirmForm({
  action,
  hidden,
  trigger,
  title,
  body,
  confirmLabel,
  pendingLabel,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  trigger: string;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
}) {
  const t = useTranslations('common');
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) dialog.current?.close();
    return next;
  }, { ok: false });
  return (
    <>
      <Button type="button" variant="danger-ghost" onClick={() => dialog.current?.showModal()}>
        {trigger}
      </Button>
      <dialog ref={dialog} aria-labelledby={`${hidden[Object.keys(hidden)[0]!]}-title`} className="m-auto w-full max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <form action={formAction} className="space-y-4">
          {Object.entries(hidden).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={`${hidden[Object.keys(hidden)[0]!]}-title`} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="text-sm text-slate-700">{body}</div>
          {state.message && !state.ok && (
            <p role="alert" className="text-sm text-red-700">
              {state.message}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              {t('cancel')}
            </Button>
            <SubmitButton variant="danger" pendingLabel={pendingLabel}>
              {confirmLabel}
            </SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
