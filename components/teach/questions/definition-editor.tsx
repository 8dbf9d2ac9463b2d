'use client';

import { useTranslations } from 'next-intl';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { newId, newOption, newPair, type Draft, type Entry, type Option } from './definition';

const input = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand';
const small = 'rounded px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-40';

function TextInput({ label, value, onChange, placeholder, visibleLabel = false, className = '' }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; visibleLabel?: boolean; className?: string }) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className={visibleLabel ? 'block text-sm font-medium text-slate-800' : 'sr-only'}>
        {label}
      </label>
      <input id={id} type="text" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} className={`${input} ${visibleLabel ? 'mt-1' : ''}`} />
    </div>
  );
}

/**
 * A checkbox or radio. Uncontrolled on purpose: React resets a form after its action runs, and the reset
 * restores `defaultChecked`, which follows the draft — so a refused save keeps showing what was chosen.
 */
function Check({ label, checked, onChange, type = 'checkbox', name }: { label: string; checked: boolean; onChange: (v: boolean) => void; type?: 'checkbox' | 'radio'; name?: string }) {
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-800">
      <input type={type} name={name} defaultChecked={checked} onChange={(e) => onChange(e.target.checked)} className="size-4 accent-[var(--color-brand)]" />
      {label}
    </label>
  );
}

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x!);
  return next;
}

function GeneralFeedback({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const t = useTranslations('questions.form');
  return <TextInput visibleLabel label={t('generalFeedback')} value={value} onChange={onChange} />;
}

/** Editing one type's definition; every change goes up as a new draft. */
export function DefinitionEditor({ draft, onChange }: { draft: Draft; onChange: (d: Draft) => void }) {
  const t = useTranslations('questions.form');
  const group = useId();
  switch (draft.type) {
    case 'single_choice':
    case 'multiple_answer': {
      const single = draft.type === 'single_choice';
      const set = (i: number, patch: Partial<Option>) =>
        onChange({ ...draft, options: draft.options.map((o, j) => (j === i ? { ...o, ...patch } : single && patch.correct ? { ...o, correct: false } : o)) });
      return (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">{single ? t('singleHint') : t('multipleHint')}</p>
          <ol className="space-y-3">
            {draft.options.map((o, i) => (
              <li key={o.id} className="rounded-md border border-slate-200 bg-white p-3" data-testid="option-row">
                <div className="flex flex-wrap items-center gap-3">
                  <span className="text-xs font-semibold text-slate-500">{t('optionN', { n: i + 1 })}</span>
                  <Check type={single ? 'radio' : 'checkbox'} name={`${group}-correct`} label={t('correct')} checked={o.correct} onChange={(c) => set(i, { correct: c })} />
                  <button type="button" className={`${small} ml-auto`} onClick={() => onChange({ ...draft, options: draft.options.filter((_, j) => j !== i) })} aria-label={t('removeOptionN', { n: i + 1 })}>
                    {t('remove')}
                  </button>
                </div>
                <div className="mt-2 grid gap-2 md:grid-cols-2">
                  <TextInput label={t('optionTextN', { n: i + 1 })} placeholder={t('optionText')} value={o.text} onChange={(v) => set(i, { text: v })} />
                  <TextInput label={t('optionFeedbackN', { n: i + 1 })} placeholder={t('optionFeedback')} value={o.feedback} onChange={(v) => set(i, { feedback: v })} />
                </div>
              </li>
            ))}
          </ol>
          <Button type="button" variant="secondary" onClick={() => onChange({ ...draft, options: [...draft.options, newOption()] })}>
            {t('addOption')}
          </Button>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    }
    case 'true_false':
      return (
        <div className="space-y-3">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('correctAnswer')}</legend>
            <div className="mt-2 flex gap-6">
              <Check type="radio" name={`${group}-tf`} label={t('true')} checked={draft.correct} onChange={() => onChange({ ...draft, correct: true })} />
              <Check type="radio" name={`${group}-tf`} label={t('false')} checked={!draft.correct} onChange={() => onChange({ ...draft, correct: false })} />
            </div>
          </fieldset>
          <div className="grid gap-3 md:grid-cols-2">
            <TextInput visibleLabel label={t('feedbackTrue')} value={draft.feedbackTrue} onChange={(v) => onChange({ ...draft, feedbackTrue: v })} />
            <TextInput visibleLabel label={t('feedbackFalse')} value={draft.feedbackFalse} onChange={(v) => onChange({ ...draft, feedbackFalse: v })} />
          </div>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    case 'short_answer':
      return (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">{t('acceptedHint')}</p>
          <ul className="space-y-2">
            {draft.accepted.map((a, i) => (
              <li key={i} className="flex items-center gap-2">
                <TextInput className="flex-1" label={t('acceptedN', { n: i + 1 })} placeholder={t('accepted')} value={a} onChange={(v) => onChange({ ...draft, accepted: draft.accepted.map((x, j) => (j === i ? v : x)) })} />
                <button type="button" className={small} onClick={() => onChange({ ...draft, accepted: draft.accepted.filter((_, j) => j !== i) })} aria-label={t('removeAcceptedN', { n: i + 1 })}>
                  {t('remove')}
                </button>
              </li>
            ))}
          </ul>
          <Button type="button" variant="secondary" onClick={() => onChange({ ...draft, accepted: [...draft.accepted, ''] })}>
            {t('addAccepted')}
          </Button>
          <div className="flex flex-wrap gap-6">
            <Check label={t('caseSensitive')} checked={draft.caseSensitive} onChange={(c) => onChange({ ...draft, caseSensitive: c })} />
            <Check label={t('ignorePunctuation')} checked={draft.ignorePunctuation} onChange={(c) => onChange({ ...draft, ignorePunctuation: c })} />
          </div>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    case 'numeric':
      return (
        <div className="space-y-3">
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('numericMode')}</legend>
            <div className="mt-2 flex gap-6">
              <Check type="radio" name={`${group}-mode`} label={t('modeExact')} checked={draft.mode === 'exact'} onChange={() => onChange({ ...draft, mode: 'exact' })} />
              <Check type="radio" name={`${group}-mode`} label={t('modeRange')} checked={draft.mode === 'range'} onChange={() => onChange({ ...draft, mode: 'range' })} />
            </div>
          </fieldset>
          {draft.mode === 'exact' ? (
            <div className="grid gap-3 md:grid-cols-2">
              <TextInput visibleLabel label={t('value')} value={draft.value} onChange={(v) => onChange({ ...draft, value: v })} />
              <TextInput visibleLabel label={t('tolerance')} value={draft.tolerance} onChange={(v) => onChange({ ...draft, tolerance: v })} />
            </div>
          ) : (
            <div className="grid gap-3 md:grid-cols-2">
              <TextInput visibleLabel label={t('min')} value={draft.min} onChange={(v) => onChange({ ...draft, min: v })} />
              <TextInput visibleLabel label={t('max')} value={draft.max} onChange={(v) => onChange({ ...draft, max: v })} />
            </div>
          )}
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    case 'matching': {
      const setPair = (i: number, patch: Partial<(typeof draft.pairs)[number]>) => onChange({ ...draft, pairs: draft.pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
      const setD = (i: number, text: string) => onChange({ ...draft, distractors: draft.distractors.map((d, j) => (j === i ? { ...d, text } : d)) });
      return (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">{t('matchingHint')}</p>
          <ol className="space-y-2">
            {draft.pairs.map((p, i) => (
              <li key={p.promptId} className="flex flex-wrap items-center gap-2" data-testid="pair-row">
                <TextInput className="min-w-40 flex-1" label={t('promptN', { n: i + 1 })} placeholder={t('prompt')} value={p.prompt} onChange={(v) => setPair(i, { prompt: v })} />
                <span aria-hidden className="text-slate-400">→</span>
                <TextInput className="min-w-40 flex-1" label={t('matchN', { n: i + 1 })} placeholder={t('match')} value={p.match} onChange={(v) => setPair(i, { match: v })} />
                <button type="button" className={small} onClick={() => onChange({ ...draft, pairs: draft.pairs.filter((_, j) => j !== i) })} aria-label={t('removePairN', { n: i + 1 })}>
                  {t('remove')}
                </button>
              </li>
            ))}
          </ol>
          <Button type="button" variant="secondary" onClick={() => onChange({ ...draft, pairs: [...draft.pairs, newPair()] })}>
            {t('addPair')}
          </Button>
          <h4 className="pt-2 text-sm font-medium text-slate-800">{t('distractors')}</h4>
          <p className="text-xs text-slate-600">{t('distractorsHint')}</p>
          <ul className="space-y-2">
            {draft.distractors.map((d: Entry, i) => (
              <li key={d.id} className="flex items-center gap-2">
                <TextInput className="flex-1" label={t('distractorN', { n: i + 1 })} placeholder={t('distractor')} value={d.text} onChange={(v) => setD(i, v)} />
                <button type="button" className={small} onClick={() => onChange({ ...draft, distractors: draft.distractors.filter((_, j) => j !== i) })} aria-label={t('removeDistractorN', { n: i + 1 })}>
                  {t('remove')}
                </button>
              </li>
            ))}
          </ul>
          <Button type="button" variant="secondary" onClick={() => onChange({ ...draft, distractors: [...draft.distractors, { id: newId(), text: '' }] })}>
            {t('addDistractor')}
          </Button>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    }
    case 'ordering':
      return (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">{t('orderingHint')}</p>
          <ol className="space-y-2">
            {draft.items.map((item, i) => (
              <li key={item.id} className="flex items-center gap-2" data-testid="ordering-row">
                <span className="w-6 text-right text-xs font-semibold text-slate-500">{i + 1}.</span>
                <TextInput className="flex-1" label={t('itemN', { n: i + 1 })} placeholder={t('item')} value={item.text} onChange={(v) => onChange({ ...draft, items: draft.items.map((x, j) => (j === i ? { ...x, text: v } : x)) })} />
                <button type="button" className={small} disabled={i === 0} onClick={() => onChange({ ...draft, items: move(draft.items, i, i - 1) })} aria-label={t('moveUpN', { n: i + 1 })}>
                  ↑
                </button>
                <button type="button" className={small} disabled={i === draft.items.length - 1} onClick={() => onChange({ ...draft, items: move(draft.items, i, i + 1) })} aria-label={t('moveDownN', { n: i + 1 })}>
                  ↓
                </button>
                <button type="button" className={small} onClick={() => onChange({ ...draft, items: draft.items.filter((_, j) => j !== i) })} aria-label={t('removeItemN', { n: i + 1 })}>
                  {t('remove')}
                </button>
              </li>
            ))}
          </ol>
          <Button type="button" variant="secondary" onClick={() => onChange({ ...draft, items: [...draft.items, { id: newId(), text: '' }] })}>
            {t('addItem')}
          </Button>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
    case 'essay':
      return (
        <div className="space-y-3">
          <TextInput visibleLabel className="max-w-xs" label={t('wordLimit')} value={draft.wordLimit} onChange={(v) => onChange({ ...draft, wordLimit: v })} />
          <div>
            <label htmlFor={`${group}-notes`} className="block text-sm font-medium text-slate-800">
              {t('graderNotes')}
            </label>
            <textarea id={`${group}-notes`} rows={4} value={draft.graderNotes} onChange={(e) => onChange({ ...draft, graderNotes: e.target.value })} className={`${input} mt-1`} aria-describedby={`${group}-notes-hint`} />
            <p id={`${group}-notes-hint`} className="mt-1 text-xs text-slate-600">
              {t('graderNotesHint')}
            </p>
          </div>
          <GeneralFeedback value={draft.generalFeedback} onChange={(v) => onChange({ ...draft, generalFeedback: v })} />
        </div>
      );
  }
}
