'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Row = { key: number; letter: string; min: string };

/** Letter rows (letter + minimum %), highest first; rows can be added and removed before saving. */
export function SchemeEditor({ courseId, scheme, custom, readOnly, action }: { courseId: string; scheme: { letter: string; min: number }[]; custom: boolean; readOnly: boolean; action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('gradebook.settings');
  const [rows, setRows] = useState<Row[]>(() => scheme.map((r, i) => ({ key: i, letter: r.letter, min: String(r.min) })));
  const [state, formAction] = useActionState(action, { ok: false });
  const errorRow = state.fieldErrors ? Object.keys(state.fieldErrors).find((k) => k.startsWith('scheme-')) : undefined;
  const bad = errorRow ? Number(errorRow.slice(7)) : -1;
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="courseId" value={courseId} />
      <p className="text-sm text-slate-600">{custom ? t('schemeCustom') : t('schemeDefault')}</p>
      <table className="text-sm">
        <caption className="sr-only">{t('schemeCaption')}</caption>
        <thead className="text-left text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3">{t('schemeLetter')}</th>
            <th scope="col" className="py-1 pr-3">{t('schemeMin')}</th>
            <th scope="col"><span className="sr-only">{t('schemeActions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key}>
              <td className="py-1 pr-3">
                <input name={`letter-${i}`} value={r.letter} disabled={readOnly} onChange={(e) => update(r.key, { letter: e.target.value })} aria-label={t('schemeLetterRow', { row: i + 1 })} aria-invalid={bad === i ? true : undefined} maxLength={8} className="w-20 rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-600" />
              </td>
              <td className="py-1 pr-3">
                <input name={`min-${i}`} value={r.min} disabled={readOnly} onChange={(e) => update(r.key, { min: e.target.value })} inputMode="decimal" aria-label={t('schemeMinRow', { row: i + 1 })} aria-invalid={bad === i ? true : undefined} className="w-24 rounded-md border border-slate-300 px-2 py-1 text-right tabular-nums aria-[invalid=true]:border-red-600" />
              </td>
              <td className="py-1">
                {!readOnly && (
                  <Button type="button" variant="danger-ghost" className="px-2 py-1" aria-label={t('schemeRemoveRow', { row: i + 1 })} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                    ✕
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {state.message && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      {!readOnly && (
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="secondary" onClick={() => setRows((rs) => [...rs, { key: Math.max(0, ...rs.map((x) => x.key)) + 1, letter: '', min: '' }])}>
            {t('schemeAddRow')}
          </Button>
          <SubmitButton pendingLabel={t('saving')}>{t('schemeSave')}</SubmitButton>
          {custom && (
            <button type="submit" name="intent" value="reset" className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100">
              {t('schemeResetButton')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
