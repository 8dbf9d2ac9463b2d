'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { RichTextEditor } from '../rich-text-editor';
import type { AssignmentFormContent, RubricForm } from './types';

const TYPES = ['text', 'file', 'url'] as const;
const small = 'rounded px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40';
const input = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand';

/** Ids for new criteria and levels; kept when saved, so grades that name them stay readable. */
const newId = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

function move<T>(list: T[], i: number, delta: -1 | 1): T[] {
  const j = i + delta;
  if (j < 0 || j >= list.length) return list;
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}

/**
 * An assignment's settings in the item form: instructions, how learners hand in, points or a rubric,
 * due date, late policy and resubmission. The rubric travels as JSON in `rubric`; the server checks it and
 * names the criterion or level at fault. Criteria and levels are added, removed and moved with buttons.
 */
export function AssignmentFields({ content, kept, values, err }: { content?: AssignmentFormContent; kept: (name: string, initial: string) => string; values?: Record<string, string>; err: Record<string, string> }) {
  const t = useTranslations('assignment.form');
  const id = useId();
  const [rubric, setRubric] = useState<RubricForm>(() => {
    try {
      const raw = kept('rubric', '');
      if (raw) return (JSON.parse(raw) as { criteria: RubricForm }).criteria;
    } catch {
      // A kept value that is not JSON: start from what was saved.
    }
    return content?.rubric ?? [];
  });
  const flag = (name: string, initial: boolean) => (values ? values[name] === 'on' : initial);
  const total = rubric.reduce((sum, c) => sum + Math.max(0, ...c.levels.map((l) => Number(l.points.replace(',', '.'))).filter(Number.isFinite)), 0);
  const setCriterion = (i: number, patch: Partial<RubricForm[number]>) => setRubric((r) => r.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const setLevel = (i: number, k: number, patch: Partial<RubricForm[number]['levels'][number]>) =>
    setRubric((r) => r.map((c, j) => (j === i ? { ...c, levels: c.levels.map((l, m) => (m === k ? { ...l, ...patch } : l)) } : c)));
  const typesError = err.submissionTypes;

  return (
    <div className="space-y-5" data-testid="assignment-fields">
      <input type="hidden" name="rubric" value={rubric.length ? JSON.stringify({ criteria: rubric }) : ''} />
      <RichTextEditor name="instructionsHtml" label={t('instructions')} initialHtml={kept('instructionsHtml', content?.instructionsHtml ?? '')} hint={t('instructionsHint')} error={err.instructionsHtml} minHeight="min-h-40" />

      <fieldset aria-describedby={typesError ? `${id}-types-error` : `${id}-types-hint`}>
        <legend className="text-sm font-medium text-slate-800">{t('submissionTypes')}</legend>
        <p id={`${id}-types-hint`} className="text-xs text-slate-600">
          {t('submissionTypesHint')}
        </p>
        <div className="mt-2 flex flex-wrap gap-6">
          {TYPES.map((type) => {
            const name = `type${type[0]!.toUpperCase()}${type.slice(1)}`;
            return (
              <label key={type} className="inline-flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name={name} defaultChecked={flag(name, content ? content.submissionTypes.includes(type) : type === 'text')} aria-invalid={typesError ? true : undefined} className="size-4 accent-[var(--color-brand)]" />
                {t(`type_${type}`)}
              </label>
            );
          })}
        </div>
        {typesError && (
          <p id={`${id}-types-error`} className="mt-1 text-sm text-red-700">
            {typesError}
          </p>
        )}
      </fieldset>

      <div className="grid gap-4 md:grid-cols-2">
        {rubric.length ? (
          <div>
            <p className="block text-sm font-medium text-slate-800">{t('pointsPossible')}</p>
            <p className="mt-1 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-800" data-testid="rubric-total">
              {t('rubricTotal', { points: Math.round(total * 100) / 100 })}
            </p>
          </div>
        ) : (
          <Field id={`${id}-points`} label={t('pointsPossible')} name="pointsPossible" type="number" min={0} max={10000} step="any" inputMode="decimal" defaultValue={kept('pointsPossible', content?.pointsPossible ?? '10')} hint={t('pointsHint')} error={err.pointsPossible} />
        )}
        <Field id={`${id}-due`} label={t('dueAt')} name="dueAt" type="datetime-local" defaultValue={kept('dueAt', content?.dueAt ?? '')} hint={t('dueHint')} error={err.dueAt} />
        <Field id={`${id}-penalty`} label={t('latePenalty')} name="latePenaltyPercent" type="number" min={0} max={100} step={1} inputMode="numeric" defaultValue={kept('latePenaltyPercent', content?.latePenaltyPercent ?? '0')} hint={t('latePenaltyHint')} error={err.latePenaltyPercent} />
        <Field id={`${id}-cutoff`} label={t('cutoffDays')} name="cutoffDays" type="number" min={0} max={365} step={1} inputMode="numeric" defaultValue={kept('cutoffDays', content?.cutoffDays ?? '')} hint={t('cutoffHint')} error={err.cutoffDays} />
      </div>
      <label className="flex items-start gap-3">
        <input type="checkbox" name="allowResubmission" defaultChecked={flag('allowResubmission', content?.allowResubmission ?? true)} className="mt-0.5 size-4 accent-[var(--color-brand)]" />
        <span>
          <span className="block text-sm font-medium text-slate-800">{t('allowResubmission')}</span>
          <span className="block text-xs text-slate-600">{t('allowResubmissionHint')}</span>
        </span>
      </label>

      <fieldset className="space-y-3" aria-describedby={err.rubric ? `${id}-rubric-error` : `${id}-rubric-hint`} data-testid="rubric-editor">
        <legend className="text-sm font-medium text-slate-800">{t('rubric')}</legend>
        <p id={`${id}-rubric-hint`} className="text-xs text-slate-600">
          {t('rubricHint')}
        </p>
        {err.rubric && (
          <p id={`${id}-rubric-error`} role="alert" className="text-sm text-red-700">
            {err.rubric}
          </p>
        )}
        <ol className="space-y-3">
          {rubric.map((c, i) => (
            <li key={c.id} className="rounded-md border border-slate-200 bg-white p-4" data-testid="rubric-criterion">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm font-semibold text-slate-900">{t('criterionN', { n: i + 1 })}</p>
                <div className="flex gap-1">
                  <button type="button" className={small} disabled={i === 0} onClick={() => setRubric((r) => move(r, i, -1))} aria-label={t('moveCriterionUp', { n: i + 1 })}>
                    ↑
                  </button>
                  <button type="button" className={small} disabled={i === rubric.length - 1} onClick={() => setRubric((r) => move(r, i, 1))} aria-label={t('moveCriterionDown', { n: i + 1 })}>
                    ↓
                  </button>
                  <button type="button" className={`${small} text-red-700 hover:bg-red-50`} onClick={() => setRubric((r) => r.filter((_, j) => j !== i))} aria-label={t('removeCriterion', { n: i + 1 })}>
                    {t('remove')}
                  </button>
                </div>
              </div>
              <div className="mt-2 grid gap-3 md:grid-cols-2">
                <div>
                  <label htmlFor={`${id}-c${i}-title`} className="block text-sm font-medium text-slate-800">
                    {t('criterionTitle', { n: i + 1 })}
                  </label>
                  <input id={`${id}-c${i}-title`} value={c.title} maxLength={200} onChange={(e) => setCriterion(i, { title: e.target.value })} className={input} />
                </div>
                <div>
                  <label htmlFor={`${id}-c${i}-desc`} className="block text-sm font-medium text-slate-800">
                    {t('criterionDescription', { n: i + 1 })}
                  </label>
                  <input id={`${id}-c${i}-desc`} value={c.description} maxLength={1000} onChange={(e) => setCriterion(i, { description: e.target.value })} className={input} />
                </div>
              </div>
              <ul className="mt-3 space-y-2" aria-label={t('levelsOf', { n: i + 1 })}>
                {c.levels.map((l, k) => (
                  <li key={l.id} className="flex flex-wrap items-end gap-2" data-testid="rubric-level">
                    <div className="min-w-[12rem] flex-1">
                      <label htmlFor={`${id}-c${i}-l${k}-title`} className="block text-xs font-medium text-slate-700">
                        {t('levelTitle', { n: i + 1, level: k + 1 })}
                      </label>
                      <input id={`${id}-c${i}-l${k}-title`} value={l.title} maxLength={200} onChange={(e) => setLevel(i, k, { title: e.target.value })} className={input} />
                    </div>
                    <div className="w-40">
                      <label htmlFor={`${id}-c${i}-l${k}-points`} className="block text-xs font-medium text-slate-700">
                        {t('levelPoints', { n: i + 1, level: k + 1 })}
                      </label>
                      <input id={`${id}-c${i}-l${k}-points`} type="number" min={0} step="any" inputMode="decimal" value={l.points} onChange={(e) => setLevel(i, k, { points: e.target.value })} className={input} />
                    </div>
                    <div className="flex gap-1 pb-1.5">
                      <button type="button" className={small} disabled={k === 0} onClick={() => setCriterion(i, { levels: move(c.levels, k, -1) })} aria-label={t('moveLevelUp', { n: i + 1, level: k + 1 })}>
                        ↑
                      </button>
                      <button type="button" className={small} disabled={k === c.levels.length - 1} onClick={() => setCriterion(i, { levels: move(c.levels, k, 1) })} aria-label={t('moveLevelDown', { n: i + 1, level: k + 1 })}>
                        ↓
                      </button>
                      <button type="button" className={`${small} text-red-700 hover:bg-red-50`} onClick={() => setCriterion(i, { levels: c.levels.filter((_, m) => m !== k) })} aria-label={t('removeLevel', { n: i + 1, level: k + 1 })}>
                        ×
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
              <Button type="button" variant="secondary" className="mt-3" onClick={() => setCriterion(i, { levels: [...c.levels, { id: newId(), title: '', points: '' }] })} aria-label={t('addLevelTo', { n: i + 1 })}>
                {t('addLevel')}
              </Button>
            </li>
          ))}
        </ol>
        <Button type="button" variant="secondary" onClick={() => setRubric((r) => [...r, { id: newId(), title: '', description: '', levels: [{ id: newId(), title: '', points: '' }] }])}>
          {t('addCriterion')}
        </Button>
      </fieldset>
    </div>
  );
}
