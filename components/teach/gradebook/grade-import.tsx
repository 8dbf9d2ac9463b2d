'use client';

import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CsvFileInput } from '@/components/ui/csv-file-input';
import { Button } from '@/components/ui/button';
import type { ImportCheck } from '@/lib/gradebook/import';

type Phase =
  | { kind: 'idle' }
  | { kind: 'checking'; name: string }
  | { kind: 'preview'; name: string; text: string; check: ImportCheck; committing: boolean; error?: string }
  | { kind: 'done'; name: string; changed: number; skipped: number }
  | { kind: 'failed'; name: string; message: string };

const SHOWN = 200;

/**
 * Grades from a CSV file in two steps: the server checks the file and the page previews every change
 * (learner, item, old → new) and problem; nothing is written until "Import" sends the same file again,
 * which the server re-checks and writes in one transaction.
 */
export function GradeImport({ courseSlug, maxBytes }: { courseSlug: string; maxBytes: number }) {
  const t = useTranslations('gradebook.import');
  const format = useFormatter();
  const router = useRouter();
  const fileId = useId();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [inputKey, setInputKey] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const base = `/teach/${encodeURIComponent(courseSlug)}/gradebook/import`;

  useEffect(() => {
    if (phase.kind === 'preview' || phase.kind === 'done') heading.current?.focus();
  }, [phase.kind]);

  async function post(path: string, text: string, fingerprint?: string) {
    const res = await fetch(`${base}/${path}`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv', ...(fingerprint ? { 'x-import-fingerprint': fingerprint } : {}) } });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { ok: res.ok, body };
  }

  async function start(file: File) {
    const name = file.name;
    if (file.size > maxBytes) return setPhase({ kind: 'failed', name, message: t('tooLarge', { mb: maxBytes / 1024 / 1024 }) });
    setPhase({ kind: 'checking', name });
    try {
      const text = await file.text();
      const { ok, body } = await post('check', text);
      if (!ok) return setPhase({ kind: 'failed', name, message: String(body.error ?? t('failed')) });
      setPhase({ kind: 'preview', name, text, check: body as unknown as ImportCheck, committing: false });
    } catch {
      setPhase({ kind: 'failed', name, message: t('failed') });
    }
  }

  async function commit(p: Extract<Phase, { kind: 'preview' }>) {
    setPhase({ ...p, committing: true, error: undefined });
    try {
      const { ok, body } = await post('commit', p.text, p.check.fingerprint);
      if (!ok) return setPhase({ ...p, committing: false, error: String(body.error ?? t('failed')) });
      setPhase({ kind: 'done', name: p.name, changed: Number(body.changed), skipped: Number(body.skipped) });
      router.refresh();
    } catch {
      setPhase({ ...p, committing: false, error: t('failed') });
    }
  }

  function reset() {
    setInputKey((k) => k + 1);
    setPhase({ kind: 'idle' });
  }

  const v = (x: number | 'EX' | null) => (x === null ? '–' : x === 'EX' ? t('excused') : format.number(x, { maximumFractionDigits: 2 }));

  return (
    <div className="space-y-4">
      {(phase.kind === 'idle' || phase.kind === 'failed') && (
        <div className="space-y-3">
          {phase.kind === 'failed' && (
            <Alert tone="error">
              <span className="font-medium">{phase.name}: </span>
              {phase.message}
            </Alert>
          )}
          <CsvFileInput id={fileId} label={t('fileLabel')} hint={t('hint', { mb: maxBytes / 1024 / 1024 })} resetKey={inputKey} onFile={(file) => void start(file)} />
        </div>
      )}

      {phase.kind === 'checking' && (
        <p role="status" className="rounded-md border border-slate-200 bg-slate-50 p-4 text-sm font-medium text-slate-800">
          {t('checking', { name: phase.name })}
        </p>
      )}

      {phase.kind === 'preview' && (
        <section aria-labelledby={`${fileId}-preview`} className="space-y-4">
          <h3 id={`${fileId}-preview`} ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none!">
            {t('previewTitle', { name: phase.name })}
          </h3>
          <dl className="grid grid-cols-3 gap-3">
            <Count label={t('countChanges')} value={format.number(phase.check.changes.length)} tone="green" />
            <Count label={t('countUnchanged')} value={format.number(phase.check.unchanged)} tone="slate" />
            <Count label={t('countErrors')} value={format.number(phase.check.errors.length)} tone={phase.check.errors.length ? 'red' : 'slate'} />
          </dl>
          {(phase.check.unknownColumns.length > 0 || phase.check.ignoredColumns.length > 0) && (
            <Alert tone="info">
              {phase.check.unknownColumns.length > 0 && <p>{t('unknownColumns', { list: phase.check.unknownColumns.join(', ') })}</p>}
              {phase.check.ignoredColumns.length > 0 && <p>{t('ignoredColumns', { list: phase.check.ignoredColumns.join(', ') })}</p>}
            </Alert>
          )}
          {phase.check.changes.length > 0 && (
            <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
              <table className="w-full text-left text-sm" data-testid="import-changes">
                <caption className="sr-only">{t('changesCaption')}</caption>
                <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">{t('colLine')}</th>
                    <th scope="col" className="px-3 py-2">{t('colLearner')}</th>
                    <th scope="col" className="px-3 py-2">{t('colItem')}</th>
                    <th scope="col" className="px-3 py-2 text-right">{t('colChange')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {phase.check.changes.slice(0, SHOWN).map((c) => (
                    <tr key={`${c.enrolmentId}:${c.itemId}`}>
                      <td className="px-3 py-1.5 tabular-nums text-slate-600">{c.line}</td>
                      <td className="px-3 py-1.5">
                        <span className="font-medium text-slate-900">{c.name}</span> <span className="text-slate-600">{c.email}</span>
                      </td>
                      <td className="px-3 py-1.5">{c.item}</td>
                      <td className="px-3 py-1.5 text-right tabular-nums">
                        {v(c.old)} → <strong>{v(c.new)}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {phase.check.changes.length > SHOWN && <p className="text-sm text-slate-600">{t('moreChanges', { count: phase.check.changes.length - SHOWN })}</p>}
          {phase.check.errors.length > 0 && (
            <div className="space-y-2">
              <h4 className="text-sm font-semibold text-slate-900">{t('problemsTitle')}</h4>
              <div className="max-h-72 overflow-auto rounded-md border border-red-200">
                <table className="w-full text-left text-sm" data-testid="import-errors">
                  <caption className="sr-only">{t('problemsCaption')}</caption>
                  <thead className="sticky top-0 bg-red-50 text-xs uppercase text-red-900">
                    <tr>
                      <th scope="col" className="px-3 py-2">{t('colLine')}</th>
                      <th scope="col" className="px-3 py-2">{t('colEmail')}</th>
                      <th scope="col" className="px-3 py-2">{t('colItem')}</th>
                      <th scope="col" className="px-3 py-2">{t('colProblem')}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-red-100">
                    {phase.check.errors.slice(0, SHOWN).map((e, i) => (
                      <tr key={i}>
                        <td className="px-3 py-1.5 tabular-nums text-slate-600">{e.line}</td>
                        <td className="break-all px-3 py-1.5">{e.email || '–'}</td>
                        <td className="px-3 py-1.5">{e.item ?? '–'}</td>
                        <td className="px-3 py-1.5">{t(`problems.${e.problem}`, { value: e.value, points: e.points ?? 0 })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
          {phase.error && <Alert tone="error">{phase.error}</Alert>}
          {phase.check.changes.length === 0 && <Alert tone="info">{t('nothing')}</Alert>}
          <div className="flex flex-wrap gap-3">
            <Button type="button" disabled={phase.committing || phase.check.changes.length === 0} onClick={() => void commit(phase)}>
              {phase.committing ? t('committing') : t('commit', { count: phase.check.changes.length })}
            </Button>
            <Button type="button" variant="secondary" disabled={phase.committing} onClick={reset}>
              {t('chooseAnother')}
            </Button>
          </div>
        </section>
      )}

      {phase.kind === 'done' && (
        <div className="space-y-3">
          <h3 ref={heading} tabIndex={-1} className="sr-only outline-none!">
            {t('doneTitle')}
          </h3>
          <Alert tone="success">{t('done', { changed: phase.changed, skipped: phase.skipped })}</Alert>
          <Button type="button" variant="secondary" onClick={reset}>
            {t('importAnother')}
          </Button>
        </div>
      )}
    </div>
  );
}

function Count({ label, value, tone }: { label: string; value: string; tone: 'green' | 'slate' | 'red' }) {
  const tones = { green: 'border-green-200 bg-green-50 text-green-900', slate: 'border-slate-200 bg-slate-50 text-slate-900', red: 'border-red-200 bg-red-50 text-red-900' };
  return (
    <div className={`rounded-md border px-4 py-3 ${tones[tone]}`}>
      <dt className="text-xs font-medium uppercase tracking-wide opacity-80">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
