'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { RichTextEditor } from '@/components/teach/rich-text-editor';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Write an announcement: a title and a rich-text message (sanitised again on the server). Cleared once posted. */
export function AnnouncementForm({ action, courseId }: { action: Action; courseId: string }) {
  const t = useTranslations('announcements.form');
  // Bumped after each post: remounts the fields empty (the editor keeps its own state).
  const [posted, setPosted] = useState(0);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) setPosted((n) => n + 1);
    return next;
  }, { ok: false });
  const err = state.fieldErrors ?? {};
  const kept = (k: string) => (state.ok ? '' : (state.values?.[k] ?? ''));
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={t('heading')}>
      <input type="hidden" name="courseId" value={courseId} />
      <div aria-live="polite">{state.message && <FormMessage state={state} />}</div>
      <div key={posted} className="space-y-4">
        <Field label={t('titleLabel')} name="title" id="announcement-title" required maxLength={200} defaultValue={kept('title')} error={err.title} autoComplete="off" />
        <RichTextEditor name="bodyHtml" label={t('bodyLabel')} initialHtml={kept('bodyHtml')} hint={t('bodyHint')} error={err.bodyHtml} minHeight="min-h-32" />
      </div>
      <SubmitButton pendingLabel={t('posting')}>{t('submit')}</SubmitButton>
    </form>
  );
}
