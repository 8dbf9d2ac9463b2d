'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { countWords, type QuizQuestion } from './api';

type Option = { id: string; text: string };
const options = (display: Record<string, unknown>, key: string): Option[] => (Array.isArray(display[key]) ? (display[key] as Option[]) : []);

const control = 'rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-brand disabled:bg-slate-100 disabled:text-slate-700';
const choiceRow = 'flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50 has-[:checked]:border-brand has-[:checked]:bg-slate-50 has-[:disabled]:cursor-default';

/**
 * One question's answer control, by type, from the learner display the service returned. `name` makes
 * radio groups and ids unique per question; `disabled` shows a submitted answer read-only.
 */
export function QuestionInput({
  question,
  value,
  onChange,
  disabled,
  labelledBy,
}: {
  question: QuizQuestion;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled: boolean;
  labelledBy: string;
}) {
  const t = useTranslations('quiz');
  const name = `q-${question.id}`;
  switch (question.type) {
    case 'single_choice':
      return (
        <fieldset aria-labelledby={labelledBy} className="space-y-2">
          {options(question.display, 'options').map((o) => (
            <label key={o.id} className={choiceRow}>
              <input type="radio" name={name} value={o.id} checked={value === o.id} disabled={disabled} onChange={() => onChange(o.id)} className="mt-0.5 size-4 accent-brand" />
              <span>{o.text}</span>
            </label>
          ))}
        </fieldset>
      );
    case 'multiple_answer': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset aria-labelledby={labelledBy} className="space-y-2">
          {options(question.display, 'options').map((o) => (
            <label key={o.id} className={choiceRow}>
              <input
                type="checkbox"
                name={name}
                value={o.id}
                checked={chosen.includes(o.id)}
                disabled={disabled}
                onChange={(e) => {
                  const next = e.target.checked ? [...chosen, o.id] : chosen.filter((id) => id !== o.id);
                  onChange(next.length ? next : null);
                }}
                className="mt-0.5 size-4 accent-brand"
              />
              <span>{o.text}</span>
            </label>
          ))}
        </fieldset>
      );
    }
    case 'true_false':
      return (
        <fieldset aria-labelledby={labelledBy} className="flex flex-wrap gap-2">
          {[true, false].map((b) => (
            <label key={String(b)} className={`${choiceRow} min-w-28`}>
              <input type="radio" name={name} checked={value === b} disabled={disabled} onChange={() => onChange(b)} className="mt-0.5 size-4 accent-brand" />
              <span>{b ? t('true') : t('false')}</span>
            </label>
          ))}
        </fieldset>
      );
    case 'short_answer':
      return (
        <div>
          <label htmlFor={name} className="sr-only">
            {t('yourAnswer')}
          </label>
          <input id={name} type="text" aria-describedby={labelledBy} maxLength={1000} value={typeof value === 'string' ? value : ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} className={`${control} w-full max-w-md`} />
        </div>
      );
    case 'numeric':
      return (
        <div>
          <label htmlFor={name} className="sr-only">
            {t('yourAnswer')}
          </label>
          <input
            id={name}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            aria-describedby={`${labelledBy} ${name}-hint`}
            maxLength={100}
            value={typeof value === 'number' ? String(value) : typeof value === 'string' ? value : ''}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value)}
            className={`${control} w-48`}
          />
          <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
            {t('numberHint')}
          </p>
        </div>
      );
    case 'matching': {
      const pairs = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
      const matches = options(question.display, 'matches');
      return (
        <div role="group" aria-labelledby={labelledBy} className="space-y-2">
          {options(question.display, 'prompts').map((p) => (
            <div key={p.id} className="grid items-center gap-2 sm:grid-cols-[minmax(0,1fr)_16rem]">
              <label htmlFor={`${name}-${p.id}`} className="text-sm text-slate-900">
                {p.text}
              </label>
              <select
                id={`${name}-${p.id}`}
                value={pairs[p.id] ?? ''}
                disabled={disabled}
                onChange={(e) => {
                  const next = { ...pairs };
                  if (e.target.value) next[p.id] = e.target.value;
                  else delete next[p.id];
                  onChange(Object.keys(next).length ? next : null);
                }}
                className={control}
              >
                <option value="">{t('chooseMatch')}</option>
                {matches.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.text}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      );
    }
    case 'ordering':
      return <OrderingInput question={question} value={value} onChange={onChange} disabled={disabled} labelledBy={labelledBy} />;
    case 'essay': {
      const text = typeof value === 'string' ? value : '';
      const limit = typeof question.display.wordLimit === 'number' ? question.display.wordLimit : null;
      const words = countWords(text);
      const over = limit !== null && words > limit;
      return (
        <div>
          <label htmlFor={name} className="sr-only">
            {t('yourAnswer')}
          </label>
          <textarea
            id={name}
            rows={8}
            maxLength={20_000}
            aria-describedby={`${labelledBy} ${name}-count`}
            aria-invalid={over || undefined}
            value={text}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
            className={`${control} w-full`}
          />
          <p id={`${name}-count`} className={`mt-1 text-xs ${over ? 'font-semibold text-red-700' : 'text-slate-600'}`}>
            {limit !== null ? t('wordsOfLimit', { count: words, limit }) : t('words', { count: words })}
          </p>
        </div>
      );
    }
    default:
      return null;
  }
}

/** Ordering: a list with Move up / Move down buttons; focus follows the moved item, and the move is announced. */
function OrderingInput({ question, value, onChange, disabled, labelledBy }: { question: QuizQuestion; value: unknown; onChange: (v: unknown) => void; disabled: boolean; labelledBy: string }) {
  const t = useTranslations('quiz');
  const items = options(question.display, 'items');
  const byId = new Map(items.map((i) => [i.id, i]));
  const order = Array.isArray(value) && value.length === items.length && value.every((id) => byId.has(id as string)) ? (value as string[]) : items.map((i) => i.id);
  const [announce, setAnnounce] = useState('');
  const move = (from: number, to: number, focus: 'up' | 'down') => {
    const next = [...order];
    const [id] = next.splice(from, 1);
    next.splice(to, 0, id!);
    onChange(next);
    setAnnounce(t('moved', { text: byId.get(id!)!.text, n: to + 1, total: next.length }));
    // Keep the keyboard on the moved item's button (or its other one at the ends).
    requestAnimationFrame(() => {
      const target = document.getElementById(`q-${question.id}-${id}-${to === 0 ? 'down' : to === next.length - 1 ? 'up' : focus}`);
      target?.focus();
    });
  };
  return (
    <div>
      {!disabled && <p className="mb-2 text-xs text-slate-600">{t('orderHint')}</p>}
      <ol aria-labelledby={labelledBy} className="space-y-2">
        {order.map((id, i) => (
          <li key={id} className="flex items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2">
            <span className="w-6 text-sm font-semibold text-slate-500" aria-hidden>
              {i + 1}.
            </span>
            <span className="flex-1">{byId.get(id)!.text}</span>
            {!disabled && (
              <span className="flex gap-1">
                <button
                  id={`q-${question.id}-${id}-up`}
                  type="button"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1, 'up')}
                  aria-label={t('moveUp', { text: byId.get(id)!.text })}
                  className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand disabled:opacity-40"
                >
                  ↑
                </button>
                <button
                  id={`q-${question.id}-${id}-down`}
                  type="button"
                  disabled={i === order.length - 1}
                  onClick={() => move(i, i + 1, 'down')}
                  aria-label={t('moveDown', { text: byId.get(id)!.text })}
                  className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand disabled:opacity-40"
                >
                  ↓
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      <p aria-live="polite" className="sr-only">
        {announce}
      </p>
    </div>
  );
}
