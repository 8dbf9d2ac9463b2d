'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ActionState } from '@/lib/auth/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { UploadField } from './upload-field';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** The cover image: upload (with progress) sets it at once; the preview shows what the catalogue will. */
export function CoverEditor({ courseId, title, coverUrl, setCover }: { courseId: string; title: string; coverUrl: string | null; setCover: Action }) {
  const t = useTranslations('teach.settings.cover');
  const [uploadedUrl, setUploadedUrl] = useState<string | null>(null);
  const [result, setResult] = useState<ActionState | null>(null);
  const [pending, startTransition] = useTransition();
  const shown = uploadedUrl ?? coverUrl;

  return (
    <div className="space-y-4">
      <div className="relative aspect-video overflow-hidden rounded-md border border-slate-200 bg-gradient-to-br from-slate-100 to-slate-200">
        {shown ? (
          // eslint-disable-next-line @next/next/no-img-element -- a signed, short-lived URL served by our own files route
          <img src={shown} alt={t('previewAlt', { title })} className="size-full object-cover" data-testid="cover-preview" />
        ) : (
          <div className="flex size-full items-center justify-center text-sm text-slate-500">{t('none')}</div>
        )}
        {pending && <div aria-hidden className="absolute inset-0 animate-pulse bg-white/40" />}
      </div>
      <UploadField
        courseId={courseId}
        purpose="cover"
        label={coverUrl ? t('replace') : t('upload')}
        hint={t('hint')}
        accept="image/png,image/jpeg,image/webp,image/gif"
        hiddenInputs={false}
        onUploaded={(file) => {
          setResult(null);
          startTransition(async () => {
            const data = new FormData();
            data.set('courseId', courseId);
            data.set('fileKey', file.key);
            const next = await setCover({ ok: false }, data);
            setResult(next);
            if (next.ok) setUploadedUrl(file.url);
          });
        }}
      />
      <p role="status" aria-live="polite" className={`text-sm ${result?.ok ? 'text-emerald-800' : 'text-red-700'} empty:hidden`}>
        {pending ? t('saving') : (result?.message ?? '')}
      </p>
      {shown && (
        <ConfirmAction
          action={setCover}
          hidden={{ courseId, fileKey: '' }}
          trigger={t('remove')}
          triggerVariant="danger-ghost"
          triggerClassName="-ml-4"
          title={t('removeTitle')}
          body={t('removeBody')}
          confirmLabel={t('remove')}
          confirmVariant="danger"
          pendingLabel={t('removing')}
          onDone={(s) => {
            setUploadedUrl(null);
            setResult(s);
          }}
        />
      )}
    </div>
  );
}
