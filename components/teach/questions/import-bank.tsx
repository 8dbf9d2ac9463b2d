'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/action-state';

type Problem = { index: number; field: string; message: string };
type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Import a question-bank file: read in the browser, sent as text to the import action. Either every
 * question is added, or nothing is and each problem is listed with its question number.
 */
export function ImportBank({ courseId, action }: { courseId: string; action: Action }) {
  const t = useTranslations('questions.import');
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, start] = useTransition();
  const [state, setState] = useState<ActionState | null>(null);
  const problems = (state?.data?.problems as Problem[] | undefined) ?? [];

  function submit() {
    const file = fileInput.current?.files?.[0];
    if (!file) return setState({ ok: false, message: t('chooseFile') });
    if (file.size > MAX_FILE_BYTES) return setState({ ok: false, message: t('tooBig') });
    start(async () => {
      let text: string;
      try {
        text = await file.text();
      } catch {
        setState({ ok: false, message: t('unreadable') });
        return;
      }
      const data = new FormData();
      data.set('courseId', courseId);
      data.set('file', text);
      const next = await action({ ok: false }, data);
      setState(next);
      if (next.ok && fileInput.current) fileInput.current.value = '';
    });
  }

  return (
    <section aria-labelledby={`${id}-h`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 id={`${id}-h`} className="text-sm font-semibold text-slate-900">
        {t('title')}
      </h3>
      <p className="text-xs text-slate-600">{t('hint')}</p>
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
            {t('file')}
          </label>
          <input ref={fileInput} id={`${id}-file`} type="file" accept="application/json,.json" className="mt-1 block text-sm" data-testid="import-file" />
        </div>
        <Button type="button" variant="secondary" onClick={submit} disabled={pending} aria-disabled={pending}>
          {pending ? t('importing') : t('import')}
        </Button>
      </div>
      <div aria-live="polite">
        {state?.message && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
        {problems.length > 0 && (
          <ul className="mt-2 max-h-64 list-disc space-y-1 overflow-y-auto pl-6 text-sm text-red-800" data-testid="import-problems">
            {problems.map((p, i) => (
              <li key={i}>{t('problem', { n: p.index + 1, field: p.field, message: p.message })}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
