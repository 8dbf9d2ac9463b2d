'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useRef, type ReactNode } from 'react';
import { Button } from './button';
import { SubmitButton } from './submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'danger-ghost';

/**
 * A button that asks first (native <dialog>: focus stays inside, Escape cancels), then runs a server
 * action. On success the dialog closes and `onDone` hears the result (to announce it, or navigate).
 */
export function ConfirmAction({
  action,
  hidden,
  trigger,
  triggerLabel,
  triggerVariant = 'secondary',
  triggerClassName = '',
  title,
  body,
  confirmLabel,
  confirmVariant = 'primary',
  pendingLabel,
  onDone,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  trigger: ReactNode;
  /** Accessible name of the trigger when its visible text is not enough (e.g. “Delete” beside many rows). */
  triggerLabel?: string;
  triggerVariant?: Variant;
  triggerClassName?: string;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  confirmVariant?: 'primary' | 'secondary' | 'danger';
  pendingLabel: string;
  onDone?: (state: ActionState) => void;
}) {
  const t = useTranslations('common');
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) {
      dialog.current?.close();
      onDone?.(next);
    }
    return next;
  }, { ok: false });
  return (
    <>
      <Button type="button" variant={triggerVariant} aria-label={triggerLabel} className={triggerClassName} onClick={() => dialog.current?.showModal()}>
        {trigger}
      </Button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} className="m-auto w-full max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <form action={formAction} className="space-y-4">
          {Object.entries(hidden).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          <div id={`${id}-body`} className="text-sm text-slate-700">
            {body}
          </div>
          {state.message && !state.ok && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {state.message}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              {t('cancel')}
            </Button>
            <SubmitButton variant={confirmVariant} pendingLabel={pendingLabel}>
              {confirmLabel}
            </SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
