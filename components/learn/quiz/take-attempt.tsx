'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { attemptQueryKey, countWords, isAnswered, QuizRequestError, quizFetch, type AttemptView, type QuizQuestion } from './api';
import { PROSE } from '../prose';
import { QuestionInput } from './question-input';

const AUTOSAVE_MS = 800;
type SaveState = { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string };

function submitKeyFor(attemptId: string): string {
  const k = `lectern:quiz-submit:${attemptId}`;
  try {
    const existing = sessionStorage.getItem(k);
    if (existing) return existing;
    const fresh = crypto.randomUUID();
    sessionStorage.setItem(k, fresh);
    return fresh;
  } catch {
    return crypto.randomUUID();
  }
}

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/**
 * An attempt in progress: the countdown from the server's deadline, every question, autosave per question
 * (debounced), and Submit behind a confirmation. At 0 the page locks and submits; the server refuses late
 * answers anyway. A closed attempt (time up elsewhere, another tab submitted) locks the page too.
 */
export function TakeAttempt({ view, answerUrl }: { view: AttemptView; answerUrl: string }) {
  const t = useTranslations('quiz');
  const queryClient = useQueryClient();
  const attemptId = view.attempt.id;
  const [answers, setAnswers] = useState<Record<string, unknown>>(() => Object.fromEntries(view.questions.map((q) => [q.id, q.answer])));
  const [saves, setSaves] = useState<Record<string, SaveState>>({});
  const [locked, setLocked] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const inFlight = useRef(new Set<Promise<unknown>>());
  const latest = useRef(answers);
  const [confirming, setConfirming] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const dialogId = useId();
  const network = t('networkError');

  const save = useCallback(
    (questionId: string) => {
      timers.current.delete(questionId);
      const answer = latest.current[questionId] ?? null;
      setSaves((s) => ({ ...s, [questionId]: { state: 'saving' } }));
      const p = quizFetch(answerUrl, { method: 'PUT', body: JSON.stringify({ questionId, answer }) }, network)
        .then(() => setSaves((s) => ({ ...s, [questionId]: latest.current[questionId] === answer ? { state: 'saved' } : s[questionId]! })))
        .catch((e: unknown) => {
          const message = e instanceof Error ? e.message : network;
          if (e instanceof QuizRequestError && e.code === 'attemptClosed') {
            setLocked(message);
            void queryClient.invalidateQueries({ queryKey: attemptQueryKey(attemptId) });
          }
          setSaves((s) => ({ ...s, [questionId]: { state: 'error', message } }));
        })
        .finally(() => inFlight.current.delete(p));
      inFlight.current.add(p);
    },
    [answerUrl, network, queryClient, attemptId],
  );

  const change = (q: QuizQuestion, value: unknown) => {
    setAnswers((a) => ({ ...a, [q.id]: value }));
    latest.current = { ...latest.current, [q.id]: value };
    const old = timers.current.get(q.id);
    if (old) clearTimeout(old);
    // An essay over its word limit would be refused: say so and keep it unsaved until it fits.
    const limit = q.type === 'essay' && typeof q.display.wordLimit === 'number' ? q.display.wordLimit : null;
    if (limit !== null && typeof value === 'string' && countWords(value) > limit) {
      setSaves((s) => ({ ...s, [q.id]: { state: 'error', message: t('overLimit') } }));
      return;
    }
    setSaves((s) => ({ ...s, [q.id]: { state: 'saving' } }));
    timers.current.set(q.id, setTimeout(() => save(q.id), AUTOSAVE_MS));
  };

  /** Save what is pending now, and wait for every save in flight. */
  const flush = useCallback(async () => {
    for (const [id, timer] of timers.current) {
      clearTimeout(timer);
      save(id);
    }
    await Promise.allSettled([...inFlight.current]);
  }, [save]);

  const submit = useCallback(
    async (auto: boolean) => {
      if (submitting) return;
      setSubmitting(true);
      setSubmitError(null);
      if (!auto) await flush();
      else for (const timer of timers.current.values()) clearTimeout(timer);
      try {
        const receipt = await quizFetch<Pick<AttemptView, 'attempt'>>(answerUrl, { method: 'POST', body: JSON.stringify({ submitKey: submitKeyFor(attemptId) }) }, network);
        dialog.current?.close();
        // Recorded: show the answers as submitted and "Grading…"; the player polls (every 1.5 s) for the graded view.
        queryClient.setQueryData<AttemptView>(attemptQueryKey(attemptId), (old) => (old ? { ...old, attempt: receipt.attempt, results: null } : old));
      } catch (e) {
        setSubmitError(e instanceof Error ? e.message : network);
        setSubmitting(false);
      }
    },
    [submitting, flush, answerUrl, attemptId, network, queryClient],
  );

  // The countdown, from the server's deadline.
  const deadline = view.attempt.deadlineAt ? new Date(view.attempt.deadlineAt).getTime() : null;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [deadline]);
  const left = deadline === null ? null : deadline - now;
  const warned = useRef({ five: false, one: false, up: false });
  useEffect(() => {
    if (left === null) return;
    if (left <= 0 && !warned.current.up) {
      warned.current.up = true;
      setAnnounce(t('timeUp'));
      setLocked(t('timeUp'));
      dialog.current?.close();
      void submit(true);
    } else if (left <= 60_000 && left > 0 && !warned.current.one) {
      warned.current.one = warned.current.five = true;
      setAnnounce(t('warnOne'));
    } else if (left <= 300_000 && left > 60_000 && !warned.current.five) {
      warned.current.five = true;
      setAnnounce(t('warnFive'));
    }
  }, [left, submit, t]);

  useEffect(() => {
    const map = timers.current;
    return () => map.forEach((timer) => clearTimeout(timer));
  }, []);

  const unanswered = view.questions.filter((q) => !isAnswered(answers[q.id])).length;
  const disabled = locked !== null || submitting;

  return (
    <section aria-labelledby={`${dialogId}-h`} className="space-y-6">
      <h2 id={`${dialogId}-h`} className="sr-only">
        {t('attemptN', { n: view.attempt.number })}
      </h2>
      <div className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white/95 p-3 shadow-sm backdrop-blur">
        <p className="text-sm font-semibold text-slate-900">{t('attemptN', { n: view.attempt.number })}</p>
        {left !== null && (
          <p className={`text-sm ${left <= 60_000 ? 'font-bold text-red-700' : left <= 300_000 ? 'font-semibold text-amber-800' : 'text-slate-700'}`} data-testid="quiz-countdown">
            {t('timeLeft')}: <span className="font-mono tabular-nums">{clock(left)}</span>
          </p>
        )}
        <p aria-live="assertive" className="sr-only">
          {announce}
        </p>
      </div>

      {locked && (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-semibold">{t('lockedTitle')}</p>
          <p className="mt-1">{locked}</p>
        </div>
      )}

      <ol className="space-y-5">
        {view.questions.map((q, i) => {
          const s = saves[q.id] ?? { state: 'idle' };
          const labelId = `q-${q.id}-prompt`;
          return (
            <li key={q.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2 text-xs font-medium text-slate-600">
                <span>{t('questionN', { n: i + 1, total: view.questions.length })}</span>
                <span>{t('points', { points: q.points })}</span>
              </div>
              <div id={labelId} className={`${PROSE} mt-2`} dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
              <div className="mt-4">
                <QuestionInput question={q} value={answers[q.id] ?? null} onChange={(v) => change(q, v)} disabled={disabled} labelledBy={labelId} />
              </div>
              <p aria-live="polite" className="mt-3 min-h-5 text-xs">
                {s.state === 'saving' && <span className="text-slate-600">{t('saving')}</span>}
                {s.state === 'saved' && <span className="text-green-800">✓ {t('saved')}</span>}
                {s.state === 'error' && (
                  <span className="text-red-700">
                    {t('notSaved', { error: s.message })}
                    {!locked && s.message !== t('overLimit') && (
                      <button type="button" onClick={() => save(q.id)} className="ml-2 font-semibold underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand">
                        {t('retry')}
                      </button>
                    )}
                  </span>
                )}
              </p>
            </li>
          );
        })}
      </ol>

      <div className="flex flex-wrap items-center justify-end gap-3">
        {submitError && !confirming && (
          <p role="alert" className="text-sm text-red-700">
            {submitError}
          </p>
        )}
        <Button type="button" disabled={submitting} onClick={() => {
            setConfirming(true);
            dialog.current?.showModal();
          }}
        >
          {submitting ? t('submitting') : t('submit')}
        </Button>
      </div>

      <dialog ref={dialog} onClose={() => setConfirming(false)} aria-labelledby={`${dialogId}-title`} aria-describedby={`${dialogId}-body`} className="m-auto w-full max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <div className="space-y-4">
          <h2 id={`${dialogId}-title`} className="text-lg font-semibold text-slate-900">
            {t('confirmTitle')}
          </h2>
          <div id={`${dialogId}-body`} className="space-y-2 text-sm text-slate-700">
            <p className={unanswered ? 'font-semibold text-amber-800' : ''}>{t('unanswered', { count: unanswered })}</p>
            <p>{t('confirmBody')}</p>
          </div>
          {submitError && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {submitError}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              {t('keepWorking')}
            </Button>
            <Button type="button" disabled={submitting} onClick={() => void submit(false)}>
              {submitting ? t('submitting') : t('confirmSubmit')}
            </Button>
          </div>
        </div>
      </dialog>
    </section>
  );
}
