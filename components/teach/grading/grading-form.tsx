'use client';

import { useActionState, useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import { buttonClass } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { PrevNextNav } from './prev-next-nav';
import type { ActionState } from '@/lib/auth/action-state';

export type GradingFormQuestion = {
  id: string;
  type: string;
  typeLabel: string;
  /** Already sanitised on the server. */
  promptHtml: string;
  points: number;
  /** The learner's answer as plain text (essays: exactly as written), or null when unanswered. */
  answerText: string | null;
  score: number | null;
  correct: boolean | null;
  graderNotes: string | null;
};

type Props = {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  attemptId: string;
  questions: GradingFormQuestion[];
  previousHref: string | null;
  nextHref: string | null;
};

/**
 * One attempt, question by question: automatic scores read-only, essays with a score box each. Enter saves
 * (the first score box has focus when the page opens); "Save and next" moves on to the next attempt.
 */
export function GradingForm({ action, attemptId, questions, previousHref, nextHref }: Props) {
  const t = useTranslations('grading.attempt');
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.redirectTo === 'string') window.location.assign(next.data.redirectTo);
    return next;
  }, { ok: false });

  // After a save, put the cursor where the grader goes next: the first empty score box, else "Save and next".
  useEffect(() => {
    if (!state.message || !formRef.current) return;
    const invalid = formRef.current.querySelector<HTMLInputElement>('input[aria-invalid="true"]');
    if (invalid) return invalid.focus();
    const empty = [...formRef.current.querySelectorAll<HTMLInputElement>('input[data-score]')].find((i) => i.value === '');
    (empty ?? formRef.current.querySelector<HTMLElement>('[data-after-save]'))?.focus();
  }, [state]);

  const firstEssay = questions.find((q) => q.type === 'essay' && q.score === null) ?? questions.find((q) => q.type === 'essay');

  return (
    <form ref={formRef} action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="attemptId" value={attemptId} />
      <FormMessage state={state} />
      <ol className="space-y-4">
        {questions.map((q, i) => {
          const name = `score-${q.id}`;
          const error = state.fieldErrors?.[name];
          const value = state.values?.[name] ?? (q.score === null ? '' : String(q.score));
          return (
            <li key={q.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <section aria-labelledby={`q-${q.id}`} className="space-y-3">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 id={`q-${q.id}`} className="font-semibold text-slate-900">
                    {t('question', { n: i + 1 })} <span className="font-normal text-slate-600">· {q.typeLabel} · {t('points', { points: q.points })}</span>
                  </h3>
                  {q.type !== 'essay' && (
                    <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${q.correct ? 'bg-green-50 text-green-800 ring-green-200' : 'bg-slate-100 text-slate-800 ring-slate-200'}`}>
                      {q.score === null ? t('notGraded') : `${t('scoreOf', { score: q.score, points: q.points })} · ${q.correct ? t('correct') : q.score > 0 ? t('partlyCorrect') : t('incorrect')}`}
                    </span>
                  )}
                </div>
                <div className="prose prose-sm max-w-none text-slate-800" dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
                <div>
                  <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('answer')}</p>
                  {q.answerText === null || q.answerText === '' ? (
                    <p className="mt-1 italic text-slate-600">{t('noAnswer')}</p>
                  ) : (
                    <p className="mt-1 whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-slate-900">{q.answerText}</p>
                  )}
                </div>
                {q.type !== 'essay' ? (
                  <p className="text-xs text-slate-600">{t('autoGraded')}</p>
                ) : (
                  <>
                    {q.graderNotes && (
                      <div className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
                        <p className="font-medium">{t('graderNotes')}</p>
                        <p className="mt-1 whitespace-pre-wrap">{q.graderNotes}</p>
                      </div>
                    )}
                    <div className="max-w-xs">
                      <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-800">
                        {t('scoreLabel', { points: q.points })}
                      </label>
                      <input
                        key={`${name}-${value}`}
                        id={`f-${name}`}
                        name={name}
                        data-score
                        type="number"
                        inputMode="decimal"
                        min={0}
                        max={q.points}
                        step="any"
                        defaultValue={value}
                        autoFocus={q.id === firstEssay?.id}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={[error && `f-${name}-error`, `f-${name}-hint`].filter(Boolean).join(' ')}
                        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600"
                      />
                      <p id={`f-${name}-hint`} className="mt-1 text-xs text-slate-600">
                        {q.score === null ? t('notGraded') : t('handGraded')} · {t('scoreHint')}
                      </p>
                      {error && (
                        <p id={`f-${name}-error`} className="mt-1 text-sm text-red-700">
                          {error}
                        </p>
                      )}
                    </div>
                  </>
                )}
              </section>
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        {/* The first submit button is the one Enter presses: plain Save, so a grader can score essay after essay. */}
        <SubmitButton pendingLabel={t('saving')} variant={nextHref ? 'secondary' : 'primary'}>
          {t('save')}
        </SubmitButton>
        {nextHref && (
          <button type="submit" name="intent" value="next" data-after-save className={buttonClass('primary')}>
            {t('saveNext')}
          </button>
        )}
        <PrevNextNav label={t('navLabel')} previousHref={previousHref} nextHref={nextHref} previousLabel={t('previous')} nextLabel={t('next')} />
      </div>
    </form>
  );
}
