'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { TextareaField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

/**
 * Revoke behind a confirmation dialog that asks for the reason (native <dialog>: focus stays inside, Escape
 * cancels). The reason is required by the server too; a refusal is shown in the dialog, on the field.
 */
export function RevokeDialog({
  action,
  certificateId,
  code,
  title,
  recipient,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  certificateId: string;
  code: string;
  title: string;
  recipient: string;
}) {
  const t = useTranslations('certificates.admin');
  const tc = useTranslations('common');
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) dialog.current?.close();
    return next;
  }, { ok: false });
  return (
    <>
      <Button type="button" variant="danger-ghost" aria-label={t('revokeLabel', { code })} onClick={() => dialog.current?.showModal()}>
        {t('revoke')}
      </Button>
      {state.ok && state.message && (
        <span role="status" className="sr-only">
          {state.message}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} className="m-auto w-full max-w-md rounded-lg p-6 text-left shadow-xl backdrop:bg-slate-900/40">
        <form action={formAction} className="space-y-4" noValidate>
          <input type="hidden" name="certificateId" value={certificateId} />
          <input type="hidden" name="code" value={code} />
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {t('revokeTitle')}
          </h2>
          <p id={`${id}-body`} className="text-sm text-slate-700">
            {t('revokeBody', { name: recipient, title, code })}
          </p>
          <TextareaField
            id={`${id}-reason`}
            label={t('reason')}
            name="reason"
            rows={3}
            required
            maxLength={500}
            hint={t('reasonHint')}
            key={`${state.message ?? ''}-${state.values?.reason ?? ''}`}
            defaultValue={state.values?.reason}
            aria-invalid={state.fieldErrors?.reason ? true : undefined}
          />
          {state.message && !state.ok && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {state.message}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              {tc('cancel')}
            </Button>
            <SubmitButton variant="danger" pendingLabel={t('revoking')}>
              {t('revokeConfirm')}
            </SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
