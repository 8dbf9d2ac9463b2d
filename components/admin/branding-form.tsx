'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { Alert, FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { contrastWarnings, textOn } from '@/lib/branding/colors';

type Values = { displayName: string; primaryColor: string; accentColor: string; allowSelfSignup: boolean };

const HEX = /^#[0-9a-f]{6}$/i;

function ColorField({ name, label, value, onChange, error }: { name: string; label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <div>
      <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex items-center gap-2">
        <input type="color" aria-label={`${label} (picker)`} value={HEX.test(value) ? value : '#000000'} onChange={(e) => onChange(e.target.value)} className="h-10 w-12 cursor-pointer rounded border border-slate-300 bg-white" />
        <input
          id={`f-${name}`}
          name={name}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `f-${name}-error` : undefined}
          className="w-32 rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          maxLength={7}
          spellCheck={false}
        />
      </div>
      {error && (
        <p id={`f-${name}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** Name, colours (with a live preview and a contrast warning) and the self-registration switch. */
export function BrandingForm({ action, initial }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; initial: Values }) {
  const t = useTranslations('branding');
  const [state, formAction] = useActionState(action, { ok: false });
  const [primary, setPrimary] = useState(initial.primaryColor);
  const [accent, setAccent] = useState(initial.accentColor);
  const valid = HEX.test(primary) && HEX.test(accent);
  const warnings = valid ? contrastWarnings(primary.toLowerCase(), accent.toLowerCase()) : [];
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage state={state} />
      <Field label={t('displayName')} name="displayName" defaultValue={state.values?.displayName ?? initial.displayName} required maxLength={120} error={state.fieldErrors?.displayName} />
      <div className="grid gap-4 sm:grid-cols-2">
        <ColorField name="primaryColor" label={t('primary')} value={primary} onChange={setPrimary} error={state.fieldErrors?.primaryColor} />
        <ColorField name="accentColor" label={t('accent')} value={accent} onChange={setAccent} error={state.fieldErrors?.accentColor} />
      </div>
      {valid && (
        <div aria-label={t('preview')} className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 p-4">
          <span className="rounded-md px-4 py-2 text-sm font-semibold" style={{ background: primary, color: textOn(primary) }}>
            {t('previewButton')}
          </span>
          <span className="rounded-md px-4 py-2 text-sm font-semibold" style={{ background: accent, color: textOn(accent) }}>
            {t('previewAccent')}
          </span>
          <span className="text-sm font-semibold underline" style={{ color: primary }}>
            {t('previewLink')}
          </span>
        </div>
      )}
      {warnings.length > 0 && (
        <Alert tone="warning">
          <p className="font-semibold">{t('contrastTitle')}</p>
          <ul className="mt-1 list-disc pl-5" data-testid="contrast-warnings">
            {warnings.map((w) => (
              <li key={w.code}>{t(`contrast.${w.code}`, { ratio: w.ratio })}</li>
            ))}
          </ul>
        </Alert>
      )}
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" name="allowSelfSignup" defaultChecked={initial.allowSelfSignup} className="mt-1 size-4" />
        <span>
          <span className="font-medium">{t('selfSignup')}</span>
          <span className="block text-slate-600">{t('selfSignupHint')}</span>
        </span>
      </label>
      <SubmitButton pendingLabel={t('saving')}>{t('save')}</SubmitButton>
    </form>
  );
}
