'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState } from 'react';
import { buttonClass } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { PrevNextNav } from './prev-next-nav';
import type { ActionState } from '@/lib/auth/action-state';

export type GraderCriterion = { id: string; title: string; description: string; levels: { id: string; title: string; points: number }[] };

type Props = {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  itemId: string;
  userId: string;
  version: number;
  criteria: GraderCriterion[] | null;
  pointsPossible: number;
  /** Percent per day and the graded version's days late: the penalty shown live. */
  penaltyPerDay: number;
  lateDays: number;
  initial: { levels: Record<string, string>; comments: Record<string, string>; points: string; comment: string };
  previousHref: string | null;
  nextHref: string | null;
  /** Where "Save and next" goes (the next learner waiting, else the next one). */
  hasNext: boolean;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Typing in these never moves the grader to another learner. */
function isTextEntry(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(el.type);
}

/**
 * The rubric beside a submission: a level per criterion (radio buttons, so arrow keys move between levels),
 * per-criterion and overall comments, the total and the late penalty computed live; without a rubric a
 * points box. Save, or Save and next learner. `j` / `k` (outside text boxes) and Alt+→ / Alt+← move to the
 * next / previous learner.
 */
export function AssignmentGrader({ action, itemId, userId, version, criteria, pointsPossible, penaltyPerDay, lateDays, initial, previousHref, nextHref, hasNext }: Props) {
  const t = useTranslations('assignmentGrading');
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.redirectTo === 'string') router.push(next.data.redirectTo);
    return next;
  }, { ok: false });
  const kept = (name: string, fallback: string) => (state.ok ? fallback : (state.values?.[name] ?? fallback));
  const [levels, setLevels] = useState<Record<string, string>>(initial.levels);
  const [points, setPoints] = useState(initial.points);
  const err = state.fieldErrors ?? {};

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey) return;
      const forward = (e.altKey && e.key === 'ArrowRight') || (!e.altKey && !isTextEntry(e.target) && e.key === 'j');
      const back = (e.altKey && e.key === 'ArrowLeft') || (!e.altKey && !isTextEntry(e.target) && e.key === 'k');
      const href = forward ? nextHref : back ? previousHref : null;
      if (!href) return;
      e.preventDefault();
      router.push(href);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [nextHref, previousHref, router]);

  useEffect(() => {
    if (state.fieldErrors) formRef.current?.querySelector<HTMLElement>('[data-invalid="true"], [aria-invalid="true"]')?.focus();
  }, [state]);

  const raw = criteria
    ? criteria.every((c) => levels[c.id])
      ? round2(criteria.reduce((sum, c) => sum + (c.levels.find((l) => l.id === levels[c.id])?.points ?? 0), 0))
      : null
    : points.trim() && Number.isFinite(Number(points.replace(',', '.')))
      ? Number(points.replace(',', '.'))
      : null;
  const pct = Math.min(100, penaltyPerDay * lateDays);
  const penalty = raw === null ? 0 : round2((raw * pct) / 100);

  return (
    <form ref={formRef} action={formAction} noValidate className="space-y-4" aria-label={t('formLabel')} data-testid="grader-form">
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="version" value={version} />
      <FormMessage state={state} />
      {criteria ? (
        <ol className="space-y-3">
          {criteria.map((c, i) => {
            const error = err[`criterion-${c.id}`];
            return (
              <li key={c.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="grader-criterion">
                <fieldset aria-describedby={error ? `crit-${c.id}-error` : undefined}>
                  <legend className="font-semibold text-slate-900">
                    {t('criterionN', { n: i + 1, title: c.title })}
                  </legend>
                  {c.description && <p className="text-sm text-slate-600">{c.description}</p>}
                  <div className="mt-2 flex flex-wrap gap-2">
                    {c.levels.map((l) => (
                      <label key={l.id} className={`cursor-pointer rounded-md px-3 py-1.5 text-sm ring-1 ring-inset has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand ${levels[c.id] === l.id ? 'bg-slate-800 font-semibold text-white ring-slate-800' : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-50'}`}>
                        <input type="radio" className="sr-only" name={`level-${c.id}`} value={l.id} checked={levels[c.id] === l.id} data-invalid={error ? true : undefined} onChange={() => setLevels((s) => ({ ...s, [c.id]: l.id }))} />
                        {t('levelOption', { title: l.title, points: l.points })}
                      </label>
                    ))}
                  </div>
                  {error && (
                    <p id={`crit-${c.id}-error`} className="mt-1 text-sm text-red-700">
                      {error}
                    </p>
                  )}
                </fieldset>
                <label htmlFor={`comment-${c.id}`} className="mt-3 block text-xs font-medium text-slate-700">
                  {t('criterionComment', { title: c.title })}
                </label>
                <textarea id={`comment-${c.id}`} name={`comment-${c.id}`} rows={2} maxLength={5000} defaultValue={kept(`comment-${c.id}`, initial.comments[c.id] ?? '')} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand" />
              </li>
            );
          })}
        </ol>
      ) : (
        <div className="max-w-xs">
          <label htmlFor="grade-points" className="block text-sm font-medium text-slate-800">
            {t('pointsLabel', { points: pointsPossible })}
          </label>
          <input
            id="grade-points"
            name="points"
            type="number"
            inputMode="decimal"
            min={0}
            max={pointsPossible}
            step="any"
            value={points}
            onChange={(e) => setPoints(e.target.value)}
            aria-invalid={err.points ? true : undefined}
            aria-describedby={err.points ? 'grade-points-error' : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600"
          />
          {err.points && (
            <p id="grade-points-error" className="mt-1 text-sm text-red-700">
              {err.points}
            </p>
          )}
        </div>
      )}

      <div>
        <label htmlFor="grade-comment" className="block text-sm font-medium text-slate-800">
          {t('comment')}
        </label>
        <textarea id="grade-comment" name="comment" rows={3} maxLength={5000} defaultValue={kept('comment', initial.comment)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand" />
      </div>

      <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm" aria-live="polite" data-testid="grader-total">
        <p className="text-lg font-semibold text-slate-900">{raw === null ? t('totalIncomplete', { points: pointsPossible }) : t('total', { score: round2(raw - penalty), points: pointsPossible })}</p>
        {lateDays > 0 && raw !== null && <p className="text-amber-900">{t('penaltyLine', { raw, penalty, percent: pct, days: lateDays })}</p>}
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel={t('saving')} variant={hasNext ? 'secondary' : 'primary'}>
          {t('save')}
        </SubmitButton>
        {hasNext && (
          <button type="submit" name="intent" value="next" className={buttonClass('primary')}>
            {t('saveNext')}
          </button>
        )}
        <PrevNextNav label={t('navLabel')} previousHref={previousHref} nextHref={nextHref} previousLabel={t('previous')} nextLabel={t('next')} />
      </div>
    </form>
  );
}
