'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useRef, useState } from 'react';
import { RichTextEditor } from '@/components/teach/rich-text-editor';
import { formatBytes, sendUpload } from '@/components/teach/upload-field';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Uploaded = { key: string; name: string; size: number };
type Busy = { name: string; progress: number };

/** A fresh key per hand-in: a retried or doubled submit of the same form is one version on the server. */
const newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/**
 * The learner's hand-in form: rich text, up to `maxFiles` files (each uploaded at once, shown with its
 * progress) and/or a link, as the assignment allows. A refused submit keeps everything typed and uploaded.
 */
export function SubmissionForm({
  action,
  itemId,
  courseId,
  types,
  nextVersion,
  maxFiles,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  itemId: string;
  courseId: string;
  types: ('text' | 'file' | 'url')[];
  nextVersion: number;
  maxFiles: number;
}) {
  const t = useTranslations('assignment.player');
  const id = useId();
  const [submitKey, setSubmitKey] = useState(newKey);
  const [files, setFiles] = useState<Uploaded[]>([]);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [editorKey, setEditorKey] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) {
      // Handed in: the next submit is a new version with a new key and an empty form.
      setSubmitKey(newKey());
      setFiles([]);
      setEditorKey((k) => k + 1);
    }
    return next;
  }, { ok: false });
  const err = state.fieldErrors ?? {};
  const kept = (name: string) => (state.ok ? '' : (state.values?.[name] ?? ''));

  async function upload(chosen: File[]) {
    setUploadError(null);
    for (const file of chosen) {
      if (files.length >= maxFiles) {
        setUploadError(t('tooManyFiles', { limit: maxFiles }));
        break;
      }
      setBusy({ name: file.name, progress: 0 });
      const { promise } = sendUpload(file, { courseId, purpose: 'submission' }, (progress) => setBusy({ name: file.name, progress }));
      const result = await promise;
      setBusy(null);
      if (result.ok) setFiles((f) => (f.length < maxFiles ? [...f, { key: result.file.key, name: result.file.filename, size: result.file.size }] : f));
      else {
        setUploadError(result.error ?? t('uploadFailed'));
        break;
      }
    }
    if (fileInput.current) fileInput.current.value = '';
  }

  const filesError = uploadError ?? err.files;
  return (
    <form action={formAction} noValidate className="space-y-5 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby={`${id}-heading`} data-testid="submission-form">
      <h2 id={`${id}-heading`} className="text-base font-semibold text-slate-900">
        {nextVersion > 1 ? t('resubmitHeading', { version: nextVersion }) : t('submitHeading')}
      </h2>
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="submitKey" value={submitKey} />
      <input type="hidden" name="files" value={JSON.stringify(files.map((f) => ({ key: f.key, name: f.name })))} />
      {state.message && !(state.fieldErrors && Object.values(state.fieldErrors).includes(state.message)) && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}

      {types.includes('text') && <RichTextEditor key={editorKey} name="bodyHtml" label={t('text')} initialHtml={kept('bodyHtml')} hint={t('textHint')} error={err.bodyHtml} minHeight="min-h-40" />}

      {types.includes('file') && (
        <div>
          <label htmlFor={`${id}-files`} className="block text-sm font-medium text-slate-800">
            {t('files', { limit: maxFiles })}
          </label>
          {files.length > 0 && (
            <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" aria-label={t('attached')}>
              {files.map((f, i) => (
                <li key={f.key} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                  <span className="min-w-0 truncate font-medium text-slate-900">{f.name}</span>
                  <span className="flex shrink-0 items-center gap-3 text-slate-600">
                    {formatBytes(f.size)}
                    <button type="button" onClick={() => setFiles((list) => list.filter((_, j) => j !== i))} className="rounded px-2 py-1 text-xs font-semibold text-red-700 hover:bg-red-50" aria-label={t('removeFile', { name: f.name })}>
                      {t('remove')}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
          <input
            ref={fileInput}
            id={`${id}-files`}
            type="file"
            multiple
            disabled={busy !== null || files.length >= maxFiles}
            aria-invalid={filesError ? true : undefined}
            aria-describedby={`${id}-files-hint${filesError ? ` ${id}-files-error` : ''}`}
            onChange={(e) => void upload([...(e.target.files ?? [])])}
            className="mt-2 block w-full text-sm text-slate-700 file:mr-3 file:cursor-pointer file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-100 disabled:opacity-60"
          />
          {busy && (
            <div className="mt-2 flex items-center gap-3">
              <div role="progressbar" aria-label={t('uploading', { name: busy.name })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(busy.progress * 100)} className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200">
                <div className="h-full rounded-full bg-brand" style={{ width: `${Math.round(busy.progress * 100)}%` }} />
              </div>
              <span className="text-xs tabular-nums text-slate-600">{Math.round(busy.progress * 100)}%</span>
            </div>
          )}
          <p id={`${id}-files-hint`} className="mt-1 text-xs text-slate-600">
            {t('filesHint')}
          </p>
          {filesError && (
            <p id={`${id}-files-error`} role="alert" className="mt-1 text-sm text-red-700">
              {filesError}
            </p>
          )}
        </div>
      )}

      {types.includes('url') && <Field id={`${id}-url`} label={t('url')} name="url" type="url" inputMode="url" placeholder="https://" defaultValue={kept('url')} hint={t('urlHint')} error={err.url} />}

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel={t('submitting')} disabled={busy !== null}>
          {nextVersion > 1 ? t('resubmit', { version: nextVersion }) : t('submit')}
        </SubmitButton>
        {busy && <span className="text-xs text-slate-600">{t('waitForUpload')}</span>}
      </div>
    </form>
  );
}
