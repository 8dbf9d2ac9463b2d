'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { TextareaField } from '@/components/ui/field';
import { RichTextEditor } from '../rich-text-editor';
import { UploadField } from '../upload-field';
import { KindIcon } from './icons';
import { AssignmentFields } from './assignment-fields';
import { QuizFields } from './quiz-fields';
import type { Action, ItemKind, OutlineItem, OutlineModule } from './types';

/**
 * Add or edit one item: its kind's own fields (lesson text, video link or file, document, web link) and
 * the fields every item has (title, required, prerequisite, release date / days after enrolment).
 */
export function ItemForm({
  mode,
  kind,
  courseId,
  moduleId,
  item,
  modules,
  action,
  onDone,
  onCancel,
}: {
  mode: 'add' | 'edit';
  kind: ItemKind;
  courseId: string;
  moduleId?: string;
  item?: OutlineItem;
  modules: OutlineModule[];
  action: Action;
  onDone: (state: ActionState) => void;
  onCancel: () => void;
}) {
  const t = useTranslations('teach.outline.item');
  const id = useId();
  const [uploading, setUploading] = useState(false);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) onDone(next);
    return next;
  }, { ok: false });
  const err = state.fieldErrors ?? {};
  const form = useRef<HTMLFormElement>(null);
  // After a refused save, take focus to the first field that needs fixing.
  useEffect(() => {
    if (state.fieldErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);
  const kept = (name: string, initial: string) => state.values?.[name] ?? initial;
  const content = item?.content;
  const video = content?.kind === 'video' ? content : null;
  const [videoSource, setVideoSource] = useState<'embed' | 'upload'>(kept('videoSource', video?.source ?? 'embed') === 'upload' ? 'upload' : 'embed');
  const storedFile = content && 'fileKey' in content ? { key: content.fileKey, filename: content.filename, url: content.url, size: content.size } : null;
  const keptFile = state.values?.fileKey ? { key: state.values.fileKey, filename: state.values.filename ?? '' } : storedFile;
  const heading = mode === 'add' ? t('addTitle', { kind }) : t('editTitle', { title: item?.title ?? '' });

  return (
    <form ref={form} action={formAction} noValidate aria-labelledby={`${id}-heading`} className="space-y-5 rounded-lg border border-slate-200 bg-slate-50/70 p-5" data-testid="item-form">
      <div className="flex items-center gap-3">
        <KindIcon kind={kind} />
        <h4 id={`${id}-heading`} className="text-base font-semibold text-slate-900">
          {heading}
        </h4>
      </div>
      {mode === 'add' ? <input type="hidden" name="moduleId" value={moduleId} /> : <input type="hidden" name="itemId" value={item?.id} />}
      {mode === 'add' && <input type="hidden" name="kind" value={kind} />}
      {!state.ok && state.message && !Object.values(err).includes(state.message) && <Alert tone="error">{state.message}</Alert>}

      <Field id={`${id}-title`} label={t('fieldTitle')} name="title" required maxLength={200} autoFocus defaultValue={kept('title', item?.title ?? '')} error={err.title} />

      {kind === 'lesson' && (
        <RichTextEditor name="html" label={t('fieldLesson')} initialHtml={content?.kind === 'lesson' ? content.html : ''} hint={t('lessonHint')} error={err.html} minHeight="min-h-56" />
      )}

      {kind === 'video' && (
        <div className="space-y-3">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('videoSource')}</legend>
            <input type="hidden" name="videoSource" value={videoSource} />
            <div className="mt-2 inline-flex rounded-md border border-slate-300 bg-white p-0.5" role="radiogroup" aria-label={t('videoSource')}>
              {(['embed', 'upload'] as const).map((source) => (
                <label key={source} className={`cursor-pointer rounded px-3 py-1.5 text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand/50 ${videoSource === source ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}>
                  <input type="radio" className="sr-only" name={`${id}-source`} value={source} checked={videoSource === source} onChange={() => setVideoSource(source)} />
                  {t(`videoSource_${source}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {videoSource === 'embed' ? (
            <Field id={`${id}-videoUrl`} label={t('fieldVideoUrl')} name="videoUrl" type="url" inputMode="url" placeholder="https://www.youtube.com/watch?v=…" defaultValue={kept('videoUrl', video?.source === 'embed' ? video.videoUrl : '')} hint={t('videoUrlHint')} error={err.videoUrl} />
          ) : (
            <UploadField courseId={courseId} purpose="video" label={t('fieldVideoFile')} accept="video/mp4,video/webm,video/ogg" hint={t('videoFileHint')} current={video?.source === 'upload' ? keptFile : state.values?.fileKey ? keptFile : null} error={err.fileKey} onBusyChange={setUploading} />
          )}
        </div>
      )}

      {kind === 'file' && (
        <UploadField courseId={courseId} purpose="document" label={t('fieldDocument')} hint={t('documentHint')} current={keptFile} error={err.fileKey} onBusyChange={setUploading} />
      )}

      {kind === 'link' && (
        <div className="space-y-4">
          <Field id={`${id}-url`} label={t('fieldUrl')} name="url" type="url" inputMode="url" required placeholder="https://" defaultValue={kept('url', content?.kind === 'link' ? content.url : '')} error={err.url} />
          <TextareaField id={`${id}-description`} label={t('fieldLinkDescription')} name="description" rows={2} maxLength={500} defaultValue={kept('description', content?.kind === 'link' ? content.description : '')} hint={t('optional')} error={err.description} />
        </div>
      )}

      {kind === 'quiz' && <QuizFields content={content?.kind === 'quiz' ? content : undefined} kept={kept} values={state.values} err={err} />}

      {kind === 'assignment' && <AssignmentFields content={content?.kind === 'assignment' ? content : undefined} kept={kept} values={state.values} err={err} />}

      <fieldset className="space-y-4 border-t border-slate-200 pt-4">
        <legend className="sr-only">{t('rules')}</legend>
        <label className="flex items-start gap-3">
          <input type="checkbox" name="required" defaultChecked={state.values ? state.values.required === 'on' : (item?.required ?? true)} className="mt-0.5 size-4 accent-[var(--color-brand)]" />
          <span>
            <span className="block text-sm font-medium text-slate-800">{t('fieldRequired')}</span>
            <span className="block text-xs text-slate-600">{t('requiredHint')}</span>
          </span>
        </label>
        <div className="grid gap-4 md:grid-cols-3">
          <div>
            <label htmlFor={`${id}-prereq`} className="block text-sm font-medium text-slate-800">
              {t('fieldPrerequisite')}
            </label>
            <select
              id={`${id}-prereq`}
              name="prerequisiteItemId"
              defaultValue={kept('prerequisiteItemId', item?.prerequisiteItemId ?? '')}
              aria-invalid={err.prerequisiteItemId ? true : undefined}
              aria-describedby={err.prerequisiteItemId ? `${id}-prereq-error` : `${id}-prereq-hint`}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-600"
            >
              <option value="">{t('noPrerequisite')}</option>
              {modules.map((m) => (
                <optgroup key={m.id} label={m.title}>
                  {m.items
                    .filter((i) => i.id !== item?.id)
                    .map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.title}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
            <p id={`${id}-prereq-hint`} className="mt-1 text-xs text-slate-600">
              {t('prerequisiteHint')}
            </p>
            {err.prerequisiteItemId && (
              <p id={`${id}-prereq-error`} className="mt-1 text-sm text-red-700">
                {err.prerequisiteItemId}
              </p>
            )}
          </div>
          <Field id={`${id}-releaseAt`} label={t('fieldReleaseAt')} name="releaseAt" type="datetime-local" defaultValue={kept('releaseAt', item?.releaseAt ?? '')} hint={t('releaseAtHint')} error={err.releaseAt} />
          <Field
            id={`${id}-releaseAfterDays`}
            label={t('fieldReleaseAfterDays')}
            name="releaseAfterDays"
            type="number"
            min={0}
            max={3650}
            step={1}
            inputMode="numeric"
            defaultValue={kept('releaseAfterDays', item?.releaseAfterDays ?? '')}
            hint={t('releaseAfterDaysHint')}
            error={err.releaseAfterDays}
          />
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-2">
        <SubmitButton pendingLabel={mode === 'add' ? t('adding') : t('saving')} disabled={uploading}>
          {mode === 'add' ? t('add', { kind }) : t('save')}
        </SubmitButton>
        <Button type="button" variant="ghost" onClick={onCancel}>
          {t('cancel')}
        </Button>
        {uploading && <span className="text-xs text-slate-600">{t('waitForUpload')}</span>}
      </div>
    </form>
  );
}
