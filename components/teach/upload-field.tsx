'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';

export type UploadPurpose = 'cover' | 'video' | 'document' | 'submission';
/** What POST /api/uploads answers for a stored file. */
export type UploadedFile = { key: string; url: string; contentType: string; size: number; filename: string };

type UploadResult = { ok: true; file: UploadedFile } | { ok: false; error: string | null; aborted?: boolean };

/**
 * Send one file to the upload endpoint with XMLHttpRequest (fetch cannot report upload progress).
 * The endpoint checks the member, the course, the size and the real type; its `{ error }` is shown as is.
 */
export function sendUpload(file: File, fields: { courseId: string; purpose: UploadPurpose }, onProgress: (fraction: number) => void): { promise: Promise<UploadResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult>((resolve) => {
    const body = new FormData();
    body.set('file', file);
    // Course and purpose ride in the query, so the server can refuse before receiving the file.
    xhr.open('POST', `/api/uploads?${new URLSearchParams({ courseId: fields.courseId, purpose: fields.purpose })}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const json = xhr.response as Partial<UploadedFile> & { error?: string } | null;
      if (xhr.status >= 200 && xhr.status < 300 && json?.key) resolve({ ok: true, file: json as UploadedFile });
      else resolve({ ok: false, error: json?.error ?? null });
    };
    xhr.onerror = () => resolve({ ok: false, error: null });
    xhr.onabort = () => resolve({ ok: false, error: null, aborted: true });
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

/**
 * A video's length as the browser sees it, measured when the author uploads it: the server uses it to
 * judge learners' "watched 90 %" (a learner's own player could report any length). Null if unknown.
 */
function measureDuration(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    const done = (d: number | null) => {
      URL.revokeObjectURL(url);
      resolve(d);
    };
    const known = () => Number.isFinite(video.duration) && video.duration > 0;
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () => {
      if (known()) return done(video.duration);
      // Recorded WebM files carry no length in their header: seeking to the end makes the browser find it.
      video.ondurationchange = () => known() && done(video.duration);
      video.currentTime = 1e9;
    };
    video.onerror = () => done(null);
    setTimeout(() => done(null), 10_000);
    video.src = url;
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A file chosen here is uploaded at once, with a progress bar; the form then carries only the stored
 * file's key and name (hidden `fileKey` and `filename`), which the server re-checks belong to this
 * organisation before using them.
 */
export function UploadField({
  courseId,
  purpose,
  label,
  hint,
  accept,
  current,
  error,
  hiddenInputs = true,
  onUploaded,
  onBusyChange,
}: {
  courseId: string;
  purpose: UploadPurpose;
  label: string;
  hint?: string;
  accept?: string;
  current?: { key: string; filename: string; url?: string; size?: number } | null;
  error?: string;
  hiddenInputs?: boolean;
  onUploaded?: (file: UploadedFile) => void;
  onBusyChange?: (busy: boolean) => void;
}) {
  const t = useTranslations('teach.upload');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const abortRef = useRef<(() => void) | null>(null);
  const [file, setFile] = useState(current ?? null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [duration, setDuration] = useState<number | null>(null);
  const shownError = uploadError ?? error;
  const describedBy = [hint && `${id}-hint`, shownError && `${id}-error`].filter(Boolean).join(' ') || undefined;

  useEffect(() => () => abortRef.current?.(), []);

  async function start(chosen: File) {
    setUploadError(null);
    setProgress(0);
    setStatus(t('uploading', { name: chosen.name }));
    onBusyChange?.(true);
    setDuration(null);
    if (purpose === 'video') void measureDuration(chosen).then(setDuration);
    const { promise, abort } = sendUpload(chosen, { courseId, purpose }, setProgress);
    abortRef.current = abort;
    const result = await promise;
    abortRef.current = null;
    setProgress(null);
    onBusyChange?.(false);
    if (input.current) input.current.value = '';
    if (result.ok) {
      setFile({ key: result.file.key, filename: result.file.filename, url: result.file.url, size: result.file.size });
      setStatus(t('uploaded', { name: result.file.filename }));
      onUploaded?.(result.file);
    } else if (result.aborted) {
      setStatus(t('cancelled'));
    } else {
      setStatus('');
      setUploadError(result.error ?? t('failed'));
    }
  }

  const pct = progress === null ? 0 : Math.round(progress * 100);
  return (
    <div>
      <label htmlFor={`${id}-input`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {file && progress === null && (
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <FileIcon />
          {file.url ? (
            <a href={file.url} target="_blank" rel="noopener noreferrer" className="font-medium text-slate-900 underline decoration-slate-300 underline-offset-2 hover:decoration-slate-600">
              {file.filename}
            </a>
          ) : (
            <span className="font-medium text-slate-900">{file.filename}</span>
          )}
          {file.size !== undefined && <span className="text-slate-500">{formatBytes(file.size)}</span>}
        </p>
      )}
      <input
        ref={input}
        id={`${id}-input`}
        type="file"
        accept={accept}
        disabled={progress !== null}
        aria-invalid={shownError ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          if (chosen) void start(chosen);
        }}
        className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:cursor-pointer file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-100 disabled:opacity-60"
      />
      {progress !== null && (
        <div className="mt-2 flex items-center gap-3">
          <div role="progressbar" aria-label={t('progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200">
            <div className="h-full rounded-full bg-brand transition-[width] duration-150" style={{ width: `${pct}%` }} />
          </div>
          <span className="w-10 text-right text-xs tabular-nums text-slate-600">{pct}%</span>
          <button type="button" onClick={() => abortRef.current?.()} className="rounded px-2 py-1 text-xs font-semibold text-slate-700 hover:bg-slate-100">
            {t('cancel')}
          </button>
        </div>
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {shownError && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {shownError}
        </p>
      )}
      <p role="status" aria-live="polite" className="sr-only">
        {status}
      </p>
      {hiddenInputs && file && (
        <>
          <input type="hidden" name="fileKey" value={file.key} />
          <input type="hidden" name="filename" value={file.filename} />
          {duration !== null && <input type="hidden" name="durationSeconds" value={duration.toFixed(2)} />}
        </>
      )}
    </div>
  );
}

function FileIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4 shrink-0 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
      <path d="M11 2H5.5A1.5 1.5 0 0 0 4 3.5v13A1.5 1.5 0 0 0 5.5 18h9a1.5 1.5 0 0 0 1.5-1.5V7l-5-5Z" strokeLinejoin="round" />
      <path d="M11 2v5h5" strokeLinejoin="round" />
    </svg>
  );
}
