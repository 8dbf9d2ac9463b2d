/**
 * The authoring form's working copy of a question's definition (numbers as typed text, matching as pairs)
 * and its conversion to and from the stored definition (lib/assessment/questions/*). The service validates
 * what we send; this only shapes it.
 */

export const QUESTION_TYPES = ['single_choice', 'multiple_answer', 'true_false', 'short_answer', 'numeric', 'matching', 'ordering', 'essay'] as const;
export type QuestionTypeName = (typeof QUESTION_TYPES)[number];

export function isQuestionTypeName(t: string): t is QuestionTypeName {
  return (QUESTION_TYPES as readonly string[]).includes(t);
}

/** Opaque ids for options, prompts, matches and items: random, so they never reveal the right order. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().slice(0, 8);
  // randomUUID needs a secure context; getRandomValues does not.
  return Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export type Option = { id: string; text: string; correct: boolean; feedback: string };
export type Pair = { promptId: string; prompt: string; matchId: string; match: string };
export type Entry = { id: string; text: string };

export type Draft =
  | { type: 'single_choice' | 'multiple_answer'; options: Option[]; generalFeedback: string }
  | { type: 'true_false'; correct: boolean; feedbackTrue: string; feedbackFalse: string; generalFeedback: string }
  | { type: 'short_answer'; accepted: string[]; caseSensitive: boolean; ignorePunctuation: boolean; generalFeedback: string }
  | { type: 'numeric'; mode: 'exact' | 'range'; value: string; tolerance: string; min: string; max: string; generalFeedback: string }
  | { type: 'matching'; pairs: Pair[]; distractors: Entry[]; generalFeedback: string }
  | { type: 'ordering'; items: Entry[]; generalFeedback: string }
  | { type: 'essay'; wordLimit: string; graderNotes: string; generalFeedback: string };

const option = (): Option => ({ id: newId(), text: '', correct: false, feedback: '' });
const pair = (): Pair => ({ promptId: newId(), prompt: '', matchId: newId(), match: '' });

export function emptyDraft(type: QuestionTypeName): Draft {
  switch (type) {
    case 'single_choice':
    case 'multiple_answer':
      return { type, options: [option(), option(), option()], generalFeedback: '' };
    case 'true_false':
      return { type, correct: true, feedbackTrue: '', feedbackFalse: '', generalFeedback: '' };
    case 'short_answer':
      return { type, accepted: [''], caseSensitive: false, ignorePunctuation: false, generalFeedback: '' };
    case 'numeric':
      return { type, mode: 'exact', value: '', tolerance: '0', min: '', max: '', generalFeedback: '' };
    case 'matching':
      return { type, pairs: [pair(), pair()], distractors: [], generalFeedback: '' };
    case 'ordering':
      return { type, items: [{ id: newId(), text: '' }, { id: newId(), text: '' }, { id: newId(), text: '' }], generalFeedback: '' };
    case 'essay':
      return { type, wordLimit: '', graderNotes: '', generalFeedback: '' };
  }
}

export { option as newOption, pair as newPair };

type Raw = Record<string, unknown>;
const str = (x: unknown) => (typeof x === 'string' ? x : '');
const num = (x: unknown) => (typeof x === 'number' ? String(x) : '');
const list = (x: unknown): Raw[] => (Array.isArray(x) ? (x.filter((e) => e && typeof e === 'object') as Raw[]) : []);

/** A stored definition as a working copy (unknown shapes fall back to an empty one). */
export function draftFrom(type: QuestionTypeName, def: Raw): Draft {
  const generalFeedback = str(def.generalFeedback);
  switch (type) {
    case 'single_choice':
    case 'multiple_answer':
      return { type, options: list(def.options).map((o) => ({ id: str(o.id), text: str(o.text), correct: o.correct === true, feedback: str(o.feedback) })), generalFeedback };
    case 'true_false':
      return { type, correct: def.correct !== false, feedbackTrue: str(def.feedbackTrue), feedbackFalse: str(def.feedbackFalse), generalFeedback };
    case 'short_answer':
      return { type, accepted: Array.isArray(def.accepted) ? def.accepted.map(str) : [''], caseSensitive: def.caseSensitive === true, ignorePunctuation: def.ignorePunctuation === true, generalFeedback };
    case 'numeric':
      return { type, mode: def.mode === 'range' ? 'range' : 'exact', value: num(def.value), tolerance: num(def.tolerance) || '0', min: num(def.min), max: num(def.max), generalFeedback };
    case 'matching': {
      const matches = list(def.matches).map((m) => ({ id: str(m.id), text: str(m.text) }));
      const used = new Set<string>();
      const pairs = list(def.prompts).map((p) => {
        used.add(str(p.matchId));
        return { promptId: str(p.id), prompt: str(p.text), matchId: str(p.matchId), match: matches.find((m) => m.id === p.matchId)?.text ?? '' };
      });
      return { type, pairs, distractors: matches.filter((m) => !used.has(m.id)), generalFeedback };
    }
    case 'ordering':
      return { type, items: list(def.items).map((i) => ({ id: str(i.id), text: str(i.text) })), generalFeedback };
    case 'essay':
      return { type, wordLimit: num(def.wordLimit), graderNotes: str(def.graderNotes), generalFeedback };
  }
}

const optional = (s: string) => (s.trim() ? s : undefined);
/** Typed text as a number; blank → null and nonsense → NaN (JSON null), both refused by the service. */
const number = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));

/** The working copy as the stored definition. */
export function toDefinition(d: Draft): Raw {
  const generalFeedback = optional(d.generalFeedback);
  switch (d.type) {
    case 'single_choice':
    case 'multiple_answer':
      return { options: d.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct, feedback: optional(o.feedback) })), generalFeedback };
    case 'true_false':
      return { correct: d.correct, feedbackTrue: optional(d.feedbackTrue), feedbackFalse: optional(d.feedbackFalse), generalFeedback };
    case 'short_answer':
      return { accepted: d.accepted, caseSensitive: d.caseSensitive, ignorePunctuation: d.ignorePunctuation, generalFeedback };
    case 'numeric':
      return d.mode === 'exact'
        ? { mode: 'exact', value: number(d.value), tolerance: number(d.tolerance) ?? 0, generalFeedback }
        : { mode: 'range', min: number(d.min), max: number(d.max), generalFeedback };
    case 'matching': {
      const matches: Entry[] = [];
      for (const p of d.pairs) if (!matches.some((m) => m.id === p.matchId)) matches.push({ id: p.matchId, text: p.match });
      return { prompts: d.pairs.map((p) => ({ id: p.promptId, text: p.prompt, matchId: p.matchId })), matches: [...matches, ...d.distractors], generalFeedback };
    }
    case 'ordering':
      return { items: d.items, generalFeedback };
    case 'essay':
      return { wordLimit: number(d.wordLimit) ?? undefined, graderNotes: optional(d.graderNotes), generalFeedback };
  }
}
