'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CsvFileInput } from '@/components/ui/csv-file-input';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/action-state';
import { CsvCancelled, CsvFileError, markDuplicatesAcrossChunks, problemsCsv, readCsvRows, type ImportRow, type RowCheck, type RowProblem } from './csv-rows';
import { ProgressBar } from './progress-bar';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;
type Result = { added: number; alreadyEnrolled: number; skipped: number };

/** Rows per request while checking: ~150 KB of JSON, well under the server action body limit. */
const CHECK_CHUNK_ROWS = 2000;
/**
 * next.config.ts caps a server action request at 4 MB (experimental.serverActions.bodySizeLimit). 20,000
 * ordinary rows are about 1.5 MB; only a file of very long addresses comes near it. Say so before sending
 * rather than let the request fail: the commit must stay one request, or it could half-write.
 */
const MAX_COMMIT_BYTES = 3.5 * 1024 * 1024;
/** Problem rows listed on the page; the download has them all. */
const PROBLEMS_SHOWN = 100;

type Phase =
  | { kind: 'idle'; notice?: string }
  | { kind: 'reading'; name: string; fraction: number }
  | { kind: 'checking'; name: string; done: number; total: number }
  | { kind: 'preview'; name: string; checks: RowCheck[]; committing: boolean; error?: string }
  | { kind: 'done'; name: string; result: Result }
  | { kind: 'failed'; name: string; message: string };

/**
 * Enrol people from a CSV file in three steps: the browser reads the file, the server checks it a chunk at
 * a time (nothing is written), then one confirm enrols every ready row in a single transaction.
 */
export function CsvImport({
  courseId,
  maxRows,
  seatsLeft,
  checkAction,
  commitAction,
}: {
  courseId: string;
  maxRows: number;
  seatsLeft: number | null;
  checkAction: Action;
  commitAction: Action;
}) {
  const t = useTranslations('roster.csv');
  const te = useTranslations('errors');
  const format = useFormatter();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [inputKey, setInputKey] = useState(0);
  // Each file gets a run number; cancelling or choosing another file bumps it, and a stale run stops.
  const run = useRef(0);
  const focusTarget = useRef<HTMLHeadingElement | HTMLDivElement>(null);
  const fileId = useId();
  const n = (x: number) => format.number(x);

  // Land keyboard and screen reader users on the preview or result when it appears. A failure is an
  // alert (announced by itself); focus goes back to the file input (re-mounted after reading), ready for another file.
  useEffect(() => {
    if (phase.kind === 'preview' || phase.kind === 'done') focusTarget.current?.focus();
    if (phase.kind === 'failed') document.getElementById(fileId)?.focus();
  }, [phase.kind, fileId]);

  async function start(file: File) {
    const mine = ++run.current;
    const stale = () => run.current !== mine;
    const name = file.name;
    setPhase({ kind: 'reading', name, fraction: 0 });
    let rows: ImportRow[];
    try {
      rows = await readCsvRows(file, { maxRows, cancelled: stale, onProgress: (fraction) => setPhase({ kind: 'reading', name, fraction }) });
    } catch (e) {
      if (e instanceof CsvCancelled || stale()) return;
      if (e instanceof CsvFileError) {
        const params = Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, n(v)]));
        return setPhase({ kind: 'failed', name, message: te(e.code, params) });
      }
      return setPhase({ kind: 'failed', name, message: t('unreadable', { reason: e instanceof Error ? e.message : String(e) }) });
    }
    const checks: RowCheck[] = [];
    setPhase({ kind: 'checking', name, done: 0, total: rows.length });
    for (let i = 0; i < rows.length; i += CHECK_CHUNK_ROWS) {
      if (stale()) return;
      const data = new FormData();
      data.set('courseId', courseId);
      data.set('rows', JSON.stringify(rows.slice(i, i + CHECK_CHUNK_ROWS)));
      let state: ActionState;
      try {
        state = await checkAction({ ok: false }, data);
      } catch {
        if (!stale()) setPhase({ kind: 'failed', name, message: t('connectionLost') });
        return;
      }
      if (stale()) return;
      if (!state.ok) return setPhase({ kind: 'failed', name, message: state.message ?? t('connectionLost') });
      checks.push(...((state.data?.checks ?? []) as RowCheck[]));
      setPhase({ kind: 'checking', name, done: Math.min(i + CHECK_CHUNK_ROWS, rows.length), total: rows.length });
    }
    setPhase({ kind: 'preview', name, checks: markDuplicatesAcrossChunks(checks), committing: false });
  }

  function reset(notice?: string) {
    run.current += 1;
    setInputKey((k) => k + 1);
    setPhase({ kind: 'idle', notice });
  }

  async function commit(preview: Extract<Phase, { kind: 'preview' }>) {
    const ready = preview.checks.flatMap((c) => (c.status === 'ok' ? [{ line: c.line, email: c.email, role: c.role }] : []));
    const body = JSON.stringify(ready);
    const bytes = new Blob([body]).size;
    if (bytes > MAX_COMMIT_BYTES) {
      const mb = (b: number) => format.number(b / 1024 / 1024, { maximumFractionDigits: 1 });
      return setPhase({ ...preview, error: t('tooLargeToSend', { size: mb(bytes), limit: mb(MAX_COMMIT_BYTES) }) });
    }
    setPhase({ ...preview, committing: true, error: undefined });
    const data = new FormData();
    data.set('courseId', courseId);
    data.set('rows', body);
    let state: ActionState;
    try {
      state = await commitAction({ ok: false }, data);
    } catch {
      return setPhase({ ...preview, committing: false, error: t('connectionLost') });
    }
    if (!state.ok) return setPhase({ ...preview, committing: false, error: state.message });
    const server = state.data as Result;
    const counts = countChecks(preview.checks);
    // Only the ready rows were sent: the rows the preview found enrolled or faulty were skipped by not
    // being sent. Rows the server's re-check skipped changed since the preview; they count as skipped.
    setPhase({
      kind: 'done',
      name: preview.name,
      result: { added: server.added, alreadyEnrolled: counts.enrolled + server.alreadyEnrolled, skipped: counts.errors + server.skipped },
    });
  }

  function downloadProblems(preview: Extract<Phase, { kind: 'preview' }>) {
    const rows = preview.checks.flatMap((c) => (c.status === 'error' ? [{ line: c.line, email: c.email, problem: t(`problems.${c.problem}`) }] : []));
    const csv = problemsCsv(rows, { line: t('colLine'), email: t('colEmail'), problem: t('colProblem') });
    const url = URL.createObjectURL(new Blob([`\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${preview.name.replace(/\.csv$/i, '')}-problems.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function downloadTemplate() {
    const url = URL.createObjectURL(new Blob(['email,role\r\nada@example.com,learner\r\ngrace@example.com,ta\r\n'], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'enrolments.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const busy = phase.kind === 'reading' || phase.kind === 'checking';

  return (
    <div className="space-y-4">
      {(phase.kind === 'idle' || phase.kind === 'failed') && (
        <div className="space-y-3">
          {phase.kind === 'idle' && phase.notice && <Alert tone="info">{phase.notice}</Alert>}
          {phase.kind === 'failed' && (
            <Alert tone="error">
              <span className="font-medium">{phase.name}: </span>
              {phase.message}
            </Alert>
          )}
          <CsvFileInput
            id={fileId}
            label={t('fileLabel')}
            resetKey={inputKey}
            onFile={(file) => void start(file)}
            hint={
              <>
                {t('hint', { max: n(maxRows) })}{' '}
                <button type="button" onClick={downloadTemplate} className="font-medium text-slate-900 underline underline-offset-2 hover:no-underline">
                  {t('template')}
                </button>
              </>
            }
          />
        </div>
      )}

      {busy && (
        <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-4">
          <p role="status" className="text-sm font-medium text-slate-800">
            {phase.kind === 'reading' ? t('reading', { name: phase.name }) : t('checking', { done: n(phase.done), total: n(phase.total) })}
          </p>
          <ProgressBar
            label={phase.kind === 'reading' ? t('readingLabel') : t('checkingLabel')}
            value={phase.kind === 'reading' ? phase.fraction : phase.total ? phase.done / phase.total : 0}
            text={phase.kind === 'checking' ? t('checking', { done: n(phase.done), total: n(phase.total) }) : undefined}
          />
          <Button type="button" variant="secondary" className="px-3 py-1" onClick={() => reset(t('cancelled'))}>
            {t('cancel')}
          </Button>
        </div>
      )}

      {phase.kind === 'preview' && renderPreview(phase)}

      {phase.kind === 'done' && (
        <div className="space-y-3">
          <div ref={focusTarget as React.RefObject<HTMLDivElement>} tabIndex={-1} className="outline-none!">
            <Alert tone="success">
              {t('result', { added: phase.result.added, already: phase.result.alreadyEnrolled, skipped: phase.result.skipped })}
            </Alert>
          </div>
          <Button type="button" variant="secondary" onClick={() => reset()}>
            {t('importAnother')}
          </Button>
        </div>
      )}
    </div>
  );

  function renderPreview(p: Extract<Phase, { kind: 'preview' }>) {
    const counts = countChecks(p.checks);
    const problems = p.checks.filter((c): c is Extract<RowCheck, { status: 'error' }> => c.status === 'error');
    const byProblem = new Map<RowProblem, number>();
    for (const c of problems) byProblem.set(c.problem, (byProblem.get(c.problem) ?? 0) + 1);
    const learnersReady = p.checks.filter((c) => c.status === 'ok' && c.role === 'learner').length;
    const short = seatsLeft !== null && learnersReady > seatsLeft;
    return (
      <section aria-labelledby={`${fileId}-preview`} className="space-y-4">
        <h3 id={`${fileId}-preview`} ref={focusTarget as React.RefObject<HTMLHeadingElement>} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none!">
          {t('previewTitle', { name: p.name })}
        </h3>
        <p className="text-sm text-slate-600">{t('previewLede', { rows: p.checks.length })}</p>
        <dl className="grid grid-cols-3 gap-3">
          <Count label={t('countReady')} value={n(counts.ok)} tone="green" />
          <Count label={t('countEnrolled')} value={n(counts.enrolled)} tone="slate" />
          <Count label={t('countErrors')} value={n(counts.errors)} tone={counts.errors ? 'red' : 'slate'} />
        </dl>

        {problems.length > 0 && (
          <div className="space-y-2">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h4 className="text-sm font-semibold text-slate-900">{t('problemsTitle')}</h4>
              <Button type="button" variant="secondary" className="px-3 py-1" onClick={() => downloadProblems(p)}>
                {t('downloadProblems')}
              </Button>
            </div>
            <ul className="flex flex-wrap gap-2 text-xs">
              {[...byProblem].map(([problem, count]) => (
                <li key={problem} className="rounded-full bg-red-50 px-2.5 py-1 text-red-900 ring-1 ring-red-200">
                  {t(`problemCounts.${problem}`, { count })}
                </li>
              ))}
            </ul>
            <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t('problemsCaption')}</caption>
                <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">{t('colLine')}</th>
                    <th scope="col" className="px-3 py-2">{t('colEmail')}</th>
                    <th scope="col" className="px-3 py-2">{t('colProblem')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {problems.slice(0, PROBLEMS_SHOWN).map((c) => (
                    <tr key={c.line}>
                      <td className="px-3 py-1.5 tabular-nums text-slate-600">{n(c.line)}</td>
                      <td className="max-w-xs break-all px-3 py-1.5 font-mono text-xs">{c.email || <span className="font-sans italic text-slate-500">{t('emptyCell')}</span>}</td>
                      <td className="px-3 py-1.5">{t(`problems.${c.problem}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {problems.length > PROBLEMS_SHOWN && <p className="text-sm text-slate-600">{t('moreProblems', { count: problems.length - PROBLEMS_SHOWN })}</p>}
          </div>
        )}

        {short && <Alert tone="warning">{t('seatsShort', { seats: seatsLeft, learners: learnersReady })}</Alert>}
        {p.error && <Alert tone="error">{p.error}</Alert>}
        {counts.ok === 0 && <Alert tone="info">{t('nothingToEnrol')}</Alert>}

        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" disabled={p.committing || counts.ok === 0} aria-disabled={p.committing || counts.ok === 0} onClick={() => void commit(p)}>
            {p.committing && <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />}
            {p.committing ? t('committing') : t('commit', { count: counts.ok })}
          </Button>
          <Button type="button" variant="secondary" disabled={p.committing} onClick={() => reset()}>
            {t('chooseAnother')}
          </Button>
          <p role="status" className="sr-only">
            {p.committing ? t('committing') : ''}
          </p>
        </div>
      </section>
    );
  }
}

function countChecks(checks: RowCheck[]) {
  let ok = 0;
  let enrolled = 0;
  let errors = 0;
  for (const c of checks) {
    if (c.status === 'ok') ok += 1;
    else if (c.status === 'enrolled') enrolled += 1;
    else errors += 1;
  }
  return { ok, enrolled, errors };
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
