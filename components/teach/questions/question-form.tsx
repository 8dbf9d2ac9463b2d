'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import Link from 'next/link';
import { RichTextEditor } from '../rich-text-editor';
import { DefinitionEditor } from './definition-editor';
import { draftFrom, emptyDraft, toDefinition, type Draft, type QuestionTypeName } from './definition';
import { TypeBadge } from './type-badge';

export type EditableQuestion = { id: string; type: QuestionTypeName; promptHtml: string; points: number; tags: string[]; definition: Record<string, unknown> };

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * Create or edit one question: prompt (rich text), points, tags and the type's definition. The definition
 * travels as JSON in a hidden field; the server validates it and says which part is wrong.
 */
export function QuestionForm({ courseId, courseSlug, type, question, action }: { courseId: string; courseSlug: string; type: QuestionTypeName; question?: EditableQuestion; action: Action }) {
  const t = useTranslations('questions.form');
  const id = useId();
  const router = useRouter();
  const back = `/teach/${courseSlug}/questions`;
  const [draft, setDraft] = useState<Draft>(() => (question ? draftFrom(type, question.definition) : emptyDraft(type)));
  const [points, setPoints] = useState(question ? String(question.points) : '1');
  const [tags, setTags] = useState(question ? question.tags.join(', ') : '');
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) router.push(`${back}?saved=${question ? 'updated' : 'created'}`);
    return next;
  }, { ok: false });
  const err = state.fieldErrors ?? {};
  const status = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!state.ok && state.message) status.current?.focus();
  }, [state]);

  return (
    <form action={formAction} noValidate className="space-y-6" data-testid="question-form" aria-labelledby={`${id}-h`}>
      <div className="flex items-center gap-3">
        <h2 id={`${id}-h`} className="text-xl font-semibold text-slate-900">
          {question ? t('editTitle') : t('newTitle')}
        </h2>
        <TypeBadge type={type} />
      </div>
      {question ? <input type="hidden" name="questionId" value={question.id} /> : <input type="hidden" name="courseId" value={courseId} />}
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="definition" value={JSON.stringify(toDefinition(draft))} />
      <div ref={status} tabIndex={-1} className="outline-none" aria-live="polite">
        {!state.ok && state.message && <Alert tone="error">{state.message}</Alert>}
      </div>

      <RichTextEditor name="promptHtml" label={t('prompt')} initialHtml={question?.promptHtml ?? ''} error={err.promptHtml} />

      <div className="grid gap-4 md:grid-cols-3">
        <Field id={`${id}-points`} label={t('points')} name="points" type="number" min={0} max={1000} step="any" inputMode="decimal" value={points} onChange={(e) => setPoints(e.target.value)} error={err.points} />
        <div className="md:col-span-2">
          <Field id={`${id}-tags`} label={t('tags')} name="tags" value={tags} onChange={(e) => setTags(e.target.value)} hint={t('tagsHint')} error={err.tags} />
        </div>
      </div>

      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-slate-50/70 p-4" aria-describedby={err.definition ? `${id}-def-error` : undefined}>
        <legend className="px-1 text-sm font-semibold text-slate-900">{t('answerKey')}</legend>
        {err.definition && (
          <p id={`${id}-def-error`} className="text-sm text-red-700" data-testid="definition-error">
            {err.definition}
          </p>
        )}
        <DefinitionEditor draft={draft} onChange={setDraft} />
      </fieldset>

      <div className="flex flex-wrap items-center gap-2">
        <SubmitButton pendingLabel={t('saving')}>{question ? t('save') : t('create')}</SubmitButton>
        <Link href={back} className={buttonClass('ghost')}>
          {t('cancel')}
        </Link>
      </div>
    </form>
  );
}
