'use client';

import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { CsvFileInput } from '@/components/ui/csv-file-input';

type Kind = 'users' | 'enrolments';

type Phase = { kind: 'idle' } | { kind: 'checking'; name: string } | { kind: 'failed'; name: string; message: string; link?: string };

/**
 * Choose what the file contains, pick it, and the server checks it (the dry run: nothing changes); its
 * preview opens on the import's own page. Files over the size limit are refused here, before sending.
 */
export function ImportUpload({ maxBytes, maxRows }: { maxBytes: number; maxRows: number }) {
  const t = useTranslations('imports');
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<Kind>('users');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [inputKey, setInputKey] = useState(0);
  const mb = maxBytes / 1024 / 1024;

  async function check(file: File) {
    const name = file.name;
    // Remount the input, so the same file can be chosen again after it is fixed.
    setInputKey((k) => k + 1);
    if (file.size > maxBytes) {
      return setPhase({ kind: 'failed', name, message: t('tooLarge', { name, size: format.number(file.size / 1024 / 1024, { maximumFractionDigits: 1 }), mb }) });
    }
    setPhase({ kind: 'checking', name });
    try {
      const res = await fetch(`/admin/import/check?kind=${kind}&name=${encodeURIComponent(name)}`, { method: 'POST', body: file, headers: { 'content-type': 'text/csv' } });
      const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string; code?: string };
      if (!res.ok || !body.id) return setPhase({ kind: 'failed', name, message: body.error ?? t('failed') });
      router.push(`/admin/import/${body.id}`);
    } catch {
      setPhase({ kind: 'failed', name, message: t('failed') });
    }
  }

  const busy = phase.kind === 'checking';
  return (
    <div className="space-y-5">
      <fieldset disabled={busy}>
        <legend className="text-sm font-medium text-slate-800">{t('kindLegend')}</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {(['users', 'enrolments'] as const).map((k) => (
            <div key={k} className={`flex items-start gap-3 rounded-md border p-3 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-slate-500 ${kind === k ? 'border-slate-900 bg-slate-50' : 'border-slate-300'}`}>
              <input id={`${id}-${k}`} type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1 size-4 shrink-0" aria-describedby={`${id}-${k}-help`} />
              <div>
                <label htmlFor={`${id}-${k}`} className="block cursor-pointer font-semibold text-slate-900">
                  {t(`kinds.${k}`)}
                </label>
                <p id={`${id}-${k}-help`} className="mt-1 text-slate-600">
                  {t(`kindHelp.${k}`)}
                </p>
                <a href={`/admin/import/template/${k}`} download className="mt-2 inline-block font-medium text-slate-900 underline underline-offset-2 hover:no-underline">
                  {t('template', { kind: t(`kinds.${k}`).toLowerCase() })}
                </a>
              </div>
            </div>
          ))}
        </div>
      </fieldset>

      {phase.kind === 'failed' && (
        <Alert tone="error">
          <span className="font-medium">{phase.name}: </span>
          {phase.message}
        </Alert>
      )}
      {busy ? (
        <p role="status" className="flex items-center gap-2 rounded-md border border-slate-200 bg-slate-50 p-4 text-sm font-medium text-slate-800">
          <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-slate-500 border-t-transparent" />
          {t('checking', { name: phase.name })}
        </p>
      ) : (
        <CsvFileInput id={`${id}-file`} label={t('fileLabel')} hint={t('fileHint', { rows: maxRows, mb })} resetKey={inputKey} onFile={(file) => void check(file)} />
      )}
    </div>
  );
}
