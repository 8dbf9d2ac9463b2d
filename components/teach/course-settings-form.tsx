'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, SelectField } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { TextareaField } from '@/components/ui/field';
import { FieldGroup } from './fields';
import { RichTextEditor } from './rich-text-editor';

export type CourseSettingsValues = {
  title: string;
  slug: string;
  summary: string;
  descriptionHtml: string;
  category: string;
  tags: string;
  language: string;
  enrolmentMode: 'open' | 'approval' | 'invite';
  capacity: string;
  startsAt: string;
  endsAt: string;
};

const MODES = ['open', 'approval', 'invite'] as const;

/**
 * Every setting of a course in one form. Problems come back per field from the server; typed values are
 * kept on a failed save. If the address changed, the page moves to the new one.
 */
export function CourseSettingsForm({
  action,
  courseId,
  initial,
  origin,
  languages,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  courseId: string;
  initial: CourseSettingsValues;
  origin: string;
  languages: { code: string; name: string }[];
}) {
  const t = useTranslations('teach.settings');
  const router = useRouter();
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    const slug = next.data?.slug;
    if (next.ok && typeof slug === 'string' && slug !== initial.slug) router.replace(`/teach/${slug}?saved=1`);
    return next;
  }, { ok: false });
  const [summaryLength, setSummaryLength] = useState(initial.summary.length);
  const value = (k: keyof CourseSettingsValues) => (state.ok ? initial[k] : (state.values?.[k] ?? initial[k]));
  const err = state.fieldErrors ?? {};
  const form = useRef<HTMLFormElement>(null);
  // After a refused save, take keyboard (and screen-reader) focus to the first field that needs fixing.
  useEffect(() => {
    if (state.fieldErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <form ref={form} action={formAction} className="space-y-6" noValidate aria-label={t('formLabel')}>
      <input type="hidden" name="courseId" value={courseId} />
      {!state.ok && state.message && !Object.values(err).includes(state.message) && <Alert tone="error">{state.message}</Alert>}

      <FieldGroup legend={t('basics')} description={t('basicsLede')}>
        <Field label={t('fieldTitle')} name="title" required maxLength={200} defaultValue={value('title')} error={err.title} />
        <div>
          <label htmlFor="f-slug" className="block text-sm font-medium text-slate-800">
            {t('fieldSlug')}
          </label>
          <div className={`mt-1 flex rounded-md border bg-white shadow-sm focus-within:border-brand ${err.slug ? 'border-red-600' : 'border-slate-300'}`}>
            <span aria-hidden className="hidden select-none items-center rounded-l-md border-r border-slate-200 bg-slate-50 px-3 text-sm text-slate-500 sm:flex">
              {origin.replace(/^https?:\/\//, '')}/courses/
            </span>
            <input
              id="f-slug"
              name="slug"
              required
              maxLength={80}
              spellCheck={false}
              autoCapitalize="none"
              defaultValue={value('slug')}
              aria-invalid={err.slug ? true : undefined}
              aria-describedby={`f-slug-hint${err.slug ? ' f-slug-error' : ''}`}
              className="block w-full min-w-0 rounded-md border-0 bg-transparent px-3 py-2 font-mono text-sm focus:outline-none"
            />
          </div>
          <p id="f-slug-hint" className="mt-1 text-xs text-slate-600">
            {t('slugHint')}
          </p>
          {err.slug && (
            <p id="f-slug-error" className="mt-1 text-sm text-red-700">
              {err.slug}
            </p>
          )}
        </div>
        <TextareaField
          label={t('fieldSummary')}
          name="summary"
          rows={2}
          maxLength={500}
          defaultValue={value('summary')}
          onChange={(e) => setSummaryLength(e.target.value.length)}
          hint={t('summaryHint', { count: summaryLength, max: 500 })}
          error={err.summary}
        />
        <RichTextEditor name="descriptionHtml" label={t('fieldDescription')} initialHtml={initial.descriptionHtml} hint={t('descriptionHint')} error={err.descriptionHtml} minHeight="min-h-48" />
      </FieldGroup>

      <FieldGroup legend={t('catalogue')} description={t('catalogueLede')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('fieldCategory')} name="category" maxLength={60} defaultValue={value('category')} hint={t('optional')} error={err.category} />
          <SelectField label={t('fieldLanguage')} name="language" defaultValue={value('language')} error={err.language}>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </SelectField>
        </div>
        <Field label={t('fieldTags')} name="tags" defaultValue={value('tags')} hint={t('tagsHint')} error={err.tags} />
      </FieldGroup>

      <FieldGroup legend={t('enrolment')} description={t('enrolmentLede')}>
        <fieldset aria-describedby={err.enrolmentMode ? 'f-mode-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t('fieldMode')}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-3">
            {MODES.map((mode) => (
              <label
                key={mode}
                className="flex cursor-pointer gap-3 rounded-md border border-slate-200 p-3 hover:border-slate-300 has-[:checked]:border-brand has-[:checked]:bg-slate-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand/40"
              >
                <input type="radio" name="enrolmentMode" value={mode} defaultChecked={value('enrolmentMode') === mode} className="mt-0.5 accent-[var(--color-brand)]" aria-describedby={`f-mode-${mode}-desc`} />
                <span>
                  <span className="block text-sm font-medium text-slate-900">{t(`mode.${mode}`)}</span>
                  <span id={`f-mode-${mode}-desc`} className="mt-0.5 block text-xs text-slate-600">
                    {t(`modeExplain.${mode}`)}
                  </span>
                </span>
              </label>
            ))}
          </div>
          {err.enrolmentMode && (
            <p id="f-mode-error" className="mt-1 text-sm text-red-700">
              {err.enrolmentMode}
            </p>
          )}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('fieldCapacity')} name="capacity" type="number" min={1} step={1} inputMode="numeric" placeholder={t('unlimited')} defaultValue={value('capacity')} hint={t('capacityHint')} error={err.capacity} />
          <Field label={t('fieldStartsAt')} name="startsAt" type="datetime-local" defaultValue={value('startsAt')} hint={t('optional')} error={err.startsAt} />
          <Field label={t('fieldEndsAt')} name="endsAt" type="datetime-local" defaultValue={value('endsAt')} hint={t('optional')} error={err.endsAt} />
        </div>
      </FieldGroup>

      <div className="sticky bottom-0 z-10 -mx-1 flex items-center gap-4 rounded-lg border border-slate-200 bg-white/95 px-4 py-3 shadow-sm backdrop-blur">
        <SubmitButton pendingLabel={t('saving')}>{t('save')}</SubmitButton>
        <p role="status" aria-live="polite" className="text-sm font-medium text-emerald-800">
          {state.ok ? (
            <>
              <span aria-hidden>✓ </span>
              {state.message}
            </>
          ) : null}
        </p>
      </div>
    </form>
  );
}
