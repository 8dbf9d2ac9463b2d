'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Mode = 'immediately' | 'digest' | 'off';
const MODES: Mode[] = ['immediately', 'digest', 'off'];

export type PreferenceRow = { type: string; label: string; mode: Mode; defaultMode: Mode };

/** One radio group per notification type (email at once, daily summary, none), saved together. */
export function PreferencesForm({ action, rows }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; rows: PreferenceRow[] }) {
  const t = useTranslations('notifications.preferences');
  const [state, formAction] = useActionState(action, { ok: false });
  return (
    <form action={formAction} className="space-y-6">
      <FormMessage state={state} />
      {rows.map((row) => {
        const field = `email:${row.type}`;
        const error = state.fieldErrors?.[field];
        const chosen = (state.values?.[field] as Mode | undefined) ?? row.mode;
        return (
          <fieldset key={row.type} className="rounded-lg border border-slate-200 bg-white p-4" aria-describedby={error ? `${field}-error` : undefined} data-testid={`preference-${row.type}`}>
            <legend className="px-1 text-base font-semibold text-slate-900">{row.label}</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-3">
              {MODES.map((mode) => (
                <label key={mode} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand has-[:checked]:bg-slate-50">
                  <input type="radio" name={field} value={mode} defaultChecked={chosen === mode} className="mt-0.5 accent-[var(--brand-primary)]" />
                  <span>
                    <span className="font-medium text-slate-900">
                      {t(`modes.${mode}`)}
                      {row.defaultMode === mode && <span className="font-normal text-slate-600"> {t('default')}</span>}
                    </span>
                    <span className="mt-0.5 block text-xs text-slate-600">{t(`modeHints.${mode}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            {error && (
              <p id={`${field}-error`} className="mt-2 text-sm text-red-700">
                {error}
              </p>
            )}
          </fieldset>
        );
      })}
      <SubmitButton pendingLabel={t('saving')}>{t('save')}</SubmitButton>
    </form>
  );
}
