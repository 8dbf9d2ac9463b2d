'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { attemptQueryKey, quizFetch, type AttemptView } from './api';
import { AttemptResult } from './attempt-result';
import { TakeAttempt } from './take-attempt';

export type AttemptSummary = { id: string; number: number; status: 'in_progress' | 'submitted' | 'graded'; submittedAt: string | null; score: number | null; pointsPossible: number | null };

const POLL_MS = 1500;
/** About a minute of polling; then the page says grading is slow (a reload later shows the result). */
const MAX_POLLS = 40;

/** Whether the grading job has been through a submitted attempt that keeps waiting for a person (essays). */
function gradedExceptEssays(view: AttemptView): boolean {
  if (!view.results) return false;
  const types = new Map(view.questions.map((q) => [q.id, q.type]));
  return view.results.questions.some((r) => types.get(r.id) !== 'essay' && (r.score !== null || r.correct !== null));
}

/** Submitted and not yet through the grading job (a quiz of essays only has nothing to wait for). */
function isGrading(view: AttemptView): boolean {
  return view.attempt.status === 'submitted' && !gradedExceptEssays(view) && !view.questions.every((q) => q.type === 'essay');
}

/**
 * The quiz's interactive part: Start/Resume, the attempt being taken, and a submitted attempt's result
 * (polled until graded). Everything shown comes from the quiz endpoints, which return the service's view.
 */
export function QuizPlayer({ baseUrl, attempts, canStart, blocked }: { baseUrl: string; attempts: AttemptSummary[]; canStart: boolean; blocked: string | null }) {
  const t = useTranslations('quiz');
  const format = useFormatter();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [activeId, setActiveId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = attempts.find((a) => a.status === 'in_progress');
  const network = t('networkError');
  const heading = useRef<HTMLDivElement>(null);

  const query = useQuery({
    queryKey: attemptQueryKey(activeId ?? 'none'),
    enabled: activeId !== null,
    staleTime: 0,
    retry: 2,
    queryFn: () => quizFetch<AttemptView>(`${baseUrl}/${activeId}`, undefined, network),
    refetchOnWindowFocus: false,
    refetchInterval: (q) => {
      const d = q.state.data;
      if (!d || d.attempt.status !== 'submitted') return false;
      if (gradedExceptEssays(d) || q.state.dataUpdateCount > MAX_POLLS) return false;
      return POLL_MS;
    },
  });
  const view = query.data;

  // Once graded while watching, refresh the server parts (outline tick, completion panel, attempts list).
  const seenStatus = useRef<string | null>(null);
  useEffect(() => {
    const status = view?.attempt.status ?? null;
    if (seenStatus.current && seenStatus.current !== status && status !== 'in_progress') router.refresh();
    seenStatus.current = status;
  }, [view?.attempt.status, router]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const v = await quizFetch<AttemptView>(baseUrl, { method: 'POST' }, network);
      queryClient.setQueryData(attemptQueryKey(v.attempt.id), v);
      setActiveId(v.attempt.id);
      requestAnimationFrame(() => heading.current?.focus());
    } catch (e) {
      setError(e instanceof Error ? e.message : network);
    } finally {
      setStarting(false);
    }
  };

  const back = () => {
    setActiveId(null);
    router.refresh();
  };

  if (activeId) {
    return (
      <div ref={heading} tabIndex={-1} className="space-y-4 focus:outline-none">
        {!view ? (
          query.isError ? (
            <p role="alert" className="text-sm text-red-700">
              {query.error.message}
            </p>
          ) : (
            <p className="text-sm text-slate-600">{t('loading')}</p>
          )
        ) : view.attempt.status === 'in_progress' ? (
          <TakeAttempt key={view.attempt.id} view={view} answerUrl={`${baseUrl}/${view.attempt.id}`} />
        ) : (
          <>
            <AttemptResult view={view} grading={isGrading(view)} slow={isGrading(view) && (queryClient.getQueryState(attemptQueryKey(view.attempt.id))?.dataUpdateCount ?? 0) > MAX_POLLS} />
            <Button type="button" variant="secondary" onClick={back}>
              {t('backToQuiz')}
            </Button>
          </>
        )}
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        {open || canStart ? (
          <Button type="button" onClick={() => void start()} disabled={starting}>
            {starting ? t('starting') : open ? t('resume') : t('start')}
          </Button>
        ) : (
          blocked && <p className="text-sm font-medium text-slate-700">{blocked}</p>
        )}
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
      </div>

      {attempts.length > 0 && (
        <section aria-labelledby="quiz-attempts-title">
          <h2 id="quiz-attempts-title" className="text-base font-semibold text-slate-900">
            {t('pastAttempts')}
          </h2>
          <ul className="mt-2 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
            {attempts.map((a) => (
              <li key={a.id} className="grid grid-cols-2 items-center gap-x-4 gap-y-1 px-4 py-3 text-sm sm:grid-cols-[7rem_minmax(0,1fr)_7rem_8rem_5rem]">
                <span className="font-medium text-slate-900">{t('attemptN', { n: a.number })}</span>
                <span className="text-slate-600">{a.submittedAt ? format.dateTime(new Date(a.submittedAt), { dateStyle: 'medium', timeStyle: 'short' }) : t('status_in_progress')}</span>
                <span className="text-slate-700">{t(`status_${a.status}`)}</span>
                <span className="font-semibold text-slate-900">{a.score !== null && a.pointsPossible !== null ? t('score', { score: a.score, possible: a.pointsPossible }) : a.status !== 'in_progress' ? <span className="font-normal text-slate-600">{t('scoreHidden')}</span> : null}</span>
                {a.status !== 'in_progress' && (
                  <Button type="button" variant="ghost" className="justify-self-start px-2 py-1 sm:justify-self-end" aria-label={t('reviewLabel', { n: a.number })} onClick={() => setActiveId(a.id)}>
                    {t('review')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
