'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, SelectField } from '@/components/ui/field';
import { TypeBadge } from '../questions/type-badge';
import { useQuizBank } from './quiz-bank';
import type { QuizFormContent } from './types';

const POLICIES = ['immediately', 'after_due', 'never'] as const;
const small = 'rounded px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100';

function Error({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

/**
 * A quiz's settings in the item form: fixed questions picked from the course's bank, random pools by tag,
 * shuffling, attempts, time limit, availability, due date, pass mark and when results are shown. The picks
 * and pools travel as `questionIds` (comma-separated) and `pools` (JSON); the service checks them.
 */
export function QuizFields({ content, kept, values, err }: { content?: QuizFormContent; kept: (name: string, initial: string) => string; values?: Record<string, string>; err: Record<string, string> }) {
  const t = useTranslations('questions.quiz');
  const id = useId();
  const { bank, bankHref } = useQuizBank();
  const [chosen, setChosen] = useState<string[]>(() => {
    const raw = kept('questionIds', (content?.questionIds ?? []).join(','));
    return raw.split(',').filter(Boolean);
  });
  const [pools, setPools] = useState<{ tag: string; count: string }[]>(() => {
    try {
      const raw = JSON.parse(kept('pools', JSON.stringify(content?.pools ?? []))) as { tag: string; count: number }[];
      return raw.map((p) => ({ tag: p.tag, count: String(p.count) }));
    } catch {
      return [];
    }
  });
  const tags = [...new Set(bank.flatMap((q) => q.tags))].sort();
  // The boxes are uncontrolled: the form's reset after a refused save restores defaultChecked (= the picks).
  const toggle = (qid: string, on: boolean) => setChosen((c) => (on ? [...c, qid] : c.filter((x) => x !== qid)));
  const poolsJson = JSON.stringify(pools.filter((p) => p.tag.trim() || p.count.trim()).map((p) => ({ tag: p.tag.trim(), count: Number(p.count) })));
  // After a refused save, an unticked box is simply absent from the kept values.
  const flag = (name: string, initial: boolean) => (values ? values[name] === 'on' : initial);
  const date = (name: 'availableFrom' | 'availableUntil' | 'dueAt') => kept(name, content?.[name] ?? '');

  return (
    <div className="space-y-5" data-testid="quiz-fields">
      <input type="hidden" name="questionIds" value={chosen.join(',')} />
      <input type="hidden" name="pools" value={poolsJson} />

      <fieldset aria-describedby={`${id}-q-hint${err.questionIds ? ` ${id}-q-error` : ''}`}>
        <legend className="text-sm font-medium text-slate-800">
          {t('questions')} <span className="font-normal text-slate-600">· {t('selected', { count: chosen.length })}</span>
        </legend>
        <p id={`${id}-q-hint`} className="text-xs text-slate-600">
          {t('questionsHint')}
        </p>
        <Error id={`${id}-q-error`} message={err.questionIds} />
        {bank.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">
            {t('bankEmpty')}{' '}
            <Link href={bankHref} className="text-brand underline">
              {t('openBank')}
            </Link>
          </p>
        ) : (
          <ul className="mt-2 max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 bg-white" data-invalid={err.questionIds ? true : undefined}>
            {bank.map((q) => (
              <li key={q.id}>
                <label className="flex cursor-pointer items-start gap-3 px-3 py-2 hover:bg-slate-50">
                  <input type="checkbox" className="mt-0.5 size-4 accent-[var(--color-brand)]" defaultChecked={chosen.includes(q.id)} aria-invalid={err.questionIds ? true : undefined} aria-describedby={err.questionIds ? `${id}-q-error` : undefined} onChange={(e) => toggle(q.id, e.target.checked)} data-testid="quiz-question" />
                  <TypeBadge type={q.type} />
                  <span className="min-w-0 flex-1 text-sm text-slate-800">{q.excerpt}</span>
                  {q.tags.length > 0 && <span className="text-xs text-slate-500">{q.tags.map((tg) => `#${tg}`).join(' ')}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{t('pools')}</legend>
        <p className="text-xs text-slate-600">{t('poolsHint')}</p>
        <Error id={`${id}-pools-error`} message={err.pools} />
        {tags.length > 0 && (
          <datalist id={`${id}-tags`}>
            {tags.map((tg) => (
              <option key={tg} value={tg} />
            ))}
          </datalist>
        )}
        <ul className="mt-2 space-y-2">
          {pools.map((p, i) => {
            const available = bank.filter((q) => q.tags.includes(p.tag.trim().toLowerCase())).length;
            return (
              <li key={i} className="flex flex-wrap items-center gap-2" data-testid="pool-row">
                <label className="sr-only" htmlFor={`${id}-pool-tag-${i}`}>
                  {t('poolTagN', { n: i + 1 })}
                </label>
                <input id={`${id}-pool-tag-${i}`} list={`${id}-tags`} value={p.tag} placeholder={t('poolTag')} onChange={(e) => setPools((ps) => ps.map((x, j) => (j === i ? { ...x, tag: e.target.value } : x)))} className="w-48 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
                <label className="sr-only" htmlFor={`${id}-pool-count-${i}`}>
                  {t('poolCountN', { n: i + 1 })}
                </label>
                <input id={`${id}-pool-count-${i}`} type="number" min={1} max={100} value={p.count} placeholder={t('poolCount')} onChange={(e) => setPools((ps) => ps.map((x, j) => (j === i ? { ...x, count: e.target.value } : x)))} className="w-24 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
                {p.tag.trim() && <span className="text-xs text-slate-600">{t('poolAvailable', { count: available })}</span>}
                <button type="button" className={small} onClick={() => setPools((ps) => ps.filter((_, j) => j !== i))} aria-label={t('removePoolN', { n: i + 1 })}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
        <Button type="button" variant="secondary" className="mt-2" onClick={() => setPools((ps) => [...ps, { tag: '', count: '1' }])}>
          {t('addPool')}
        </Button>
      </fieldset>

      <div className="flex flex-wrap gap-6">
        <label className="inline-flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="shuffleQuestions" defaultChecked={flag('shuffleQuestions', content?.shuffleQuestions ?? false)} className="size-4 accent-[var(--color-brand)]" />
          {t('shuffleQuestions')}
        </label>
        <label className="inline-flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="shuffleOptions" defaultChecked={flag('shuffleOptions', content?.shuffleOptions ?? true)} className="size-4 accent-[var(--color-brand)]" />
          {t('shuffleOptions')}
        </label>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <Field id={`${id}-attempts`} label={t('attemptsAllowed')} name="attemptsAllowed" type="number" min={0} max={100} step={1} inputMode="numeric" defaultValue={kept('attemptsAllowed', content?.attemptsAllowed ?? '1')} hint={t('attemptsHint')} error={err.attemptsAllowed} />
        <Field id={`${id}-time`} label={t('timeLimit')} name="timeLimitMinutes" type="number" min={1} max={1440} step={1} inputMode="numeric" defaultValue={kept('timeLimitMinutes', content?.timeLimitMinutes ?? '')} hint={t('timeLimitHint')} error={err.timeLimitMinutes} />
        <Field id={`${id}-pass`} label={t('passMark')} name="passMark" type="number" min={0} max={100} step={1} inputMode="numeric" defaultValue={kept('passMark', content?.passMark ?? '')} hint={t('passMarkHint')} error={err.passMark} />
        <Field id={`${id}-from`} label={t('availableFrom')} name="availableFrom" type="datetime-local" defaultValue={date('availableFrom')} error={err.availableFrom} />
        <Field id={`${id}-until`} label={t('availableUntil')} name="availableUntil" type="datetime-local" defaultValue={date('availableUntil')} error={err.availableUntil} />
        <Field id={`${id}-due`} label={t('dueAt')} name="dueAt" type="datetime-local" defaultValue={date('dueAt')} error={err.dueAt} />
        <SelectField id={`${id}-score`} label={t('showScore')} name="showScore" defaultValue={kept('showScore', content?.showScore ?? 'immediately')} error={err.showScore}>
          {POLICIES.map((p) => (
            <option key={p} value={p}>
              {t(`policy.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={`${id}-answers`} label={t('showAnswers')} name="showAnswers" defaultValue={kept('showAnswers', content?.showAnswers ?? 'after_due')} error={err.showAnswers}>
          {POLICIES.map((p) => (
            <option key={p} value={p}>
              {t(`policy.${p}`)}
            </option>
          ))}
        </SelectField>
      </div>
    </div>
  );
}
