'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

const MAX = 1024 * 1024;

/** Upload a logo; the size is checked here for a fast answer and again (with the content type) on the server. */
export function LogoForm({ action }: { action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('branding');
  const [state, formAction] = useActionState(action, { ok: false });
  const [tooBig, setTooBig] = useState<string | null>(null);
  const error = tooBig ?? state.fieldErrors?.logo;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      {!tooBig && <FormMessage state={state} />}
      <div>
        <label htmlFor="f-logo" className="block text-sm font-medium">
          {t('logoFile')}
        </label>
        <input
          id="f-logo"
          name="logo"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/svg+xml"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby="f-logo-hint"
          onChange={(e) => {
            const f = e.target.files?.[0];
            setTooBig(f && f.size > MAX ? t('tooBig', { size: (f.size / 1024 / 1024).toFixed(1) }) : null);
          }}
          className="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-2 file:text-sm file:font-medium"
        />
        <p id="f-logo-hint" className="mt-1 text-xs text-slate-600">
          {t('logoHint')}
        </p>
        {error && (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
      <SubmitButton pendingLabel={t('uploading')} disabled={Boolean(tooBig)}>
        {t('upload')}
      </SubmitButton>
    </form>
  );
}
