'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { AttemptView, QuizQuestion, QuizResultQuestion } from './api';
import { PROSE } from '../prose';
import { QuestionInput } from './question-input';

type Opt = { id: string; text: string; correct?: boolean; matchId?: string };

/** The correct answer in words, from the key the results policy let through (never for essays). */
function KeyText({ question, keyDef }: { question: QuizQuestion; keyDef: unknown }) {
  const t = useTranslations('quiz');
  if (!keyDef || typeof keyDef !== 'object') return null;
  const k = keyDef as Record<string, unknown>;
  const list = (name: string) => (Array.isArray(k[name]) ? (k[name] as Opt[]) : []);
  let lines: string[] = [];
  switch (question.type) {
    case 'single_choice':
    case 'multiple_answer':
      lines = list('options').filter((o) => o.correct).map((o) => o.text);
      break;
    case 'true_false':
      lines = [k.correct ? t('true') : t('false')];
      break;
    case 'short_answer':
      lines = Array.isArray(k.accepted) ? (k.accepted as string[]) : [];
      break;
    case 'numeric':
      lines = [k.mode === 'range' ? t('rangeAnswer', { min: String(k.min), max: String(k.max) }) : Number(k.tolerance) ? t('exactAnswer', { value: String(k.value), tolerance: String(k.tolerance) }) : String(k.value)];
      break;
    case 'matching': {
      const matches = new Map(list('matches').map((m) => [m.id, m.text]));
      lines = list('prompts').map((p) => `${p.text} → ${matches.get(p.matchId ?? '') ?? ''}`);
      break;
    }
    case 'ordering':
      lines = list('items').map((i, n) => `${n + 1}. ${i.text}`);
      break;
    default:
      return null;
  }
  if (!lines.length) return null;
  return (
    <div className="mt-3 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">
      <p className="font-semibold">{t('correctAnswer')}</p>
      <ul className="mt-1 space-y-0.5">
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

function Verdict({ r, points }: { r: QuizResultQuestion; points: number }) {
  const t = useTranslations('quiz');
  const partly = r.correct === false && r.score !== null && r.score > 0;
  return (
    <span className="flex flex-wrap items-center gap-2">
      {r.correct !== null && (
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${r.correct ? 'bg-green-100 text-green-800' : partly ? 'bg-amber-100 text-amber-900' : 'bg-red-100 text-red-800'}`}>
          {r.correct ? t('correct') : partly ? t('partlyCorrect') : t('incorrect')}
        </span>
      )}
      {r.score !== null && <span className="text-xs font-medium text-slate-700">{t('questionScore', { score: r.score, points })}</span>}
    </span>
  );
}

/**
 * A submitted attempt: "Grading…" until the service has a result, then the score, per-question correctness,
 * feedback and the correct answers — each only as far as `results` (the results policy) provides.
 */
export function AttemptResult({ view, grading, slow }: { view: AttemptView; grading: boolean; slow: boolean }) {
  const t = useTranslations('quiz');
  const format = useFormatter();
  const results = view.results;
  const byId = new Map((results?.questions ?? []).map((r) => [r.id, r]));
  return (
    <section aria-labelledby="quiz-result-title" className="space-y-5">
      <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="quiz-result-title" className="text-lg font-semibold text-slate-900">
          {t('resultTitle', { n: view.attempt.number })}
        </h2>
        {view.attempt.submittedAt && <p className="mt-1 text-sm text-slate-600">{t('submittedOn', { date: format.dateTime(new Date(view.attempt.submittedAt), { dateStyle: 'medium', timeStyle: 'short' }) })}</p>}
        <div aria-live="polite" className="mt-4">
          {grading ? (
            <p className="flex items-center gap-2 text-slate-700" data-testid="quiz-grading">
              <span className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-700" aria-hidden />
              {slow ? t('gradingSlow') : t('grading')}
            </p>
          ) : results?.score !== null && results?.score !== undefined && results.pointsPossible !== null ? (
            <p className="text-slate-900" data-testid="quiz-score">
              <span className="text-sm font-medium text-slate-600">{view.attempt.status === 'submitted' ? t('scoreSoFar') : t('yourScore')}: </span>
              <span className="text-2xl font-bold">{t('score', { score: results.score, possible: results.pointsPossible })}</span>
            </p>
          ) : (
            !results && <p className="text-slate-700">{t('resultsHidden')}</p>
          )}
        </div>
      </div>

      {!grading && (
        <ol className="space-y-4">
          {view.questions.map((q, i) => {
            const r = byId.get(q.id);
            const labelId = `r-${q.id}-prompt`;
            return (
              <li key={q.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex flex-wrap items-center justify-between gap-2 text-xs font-medium text-slate-600">
                  <span>{t('questionN', { n: i + 1, total: view.questions.length })}</span>
                  {r ? <Verdict r={r} points={q.points} /> : <span>{t('points', { points: q.points })}</span>}
                </div>
                <div id={labelId} className={`${PROSE} mt-2`} dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
                <div className="mt-4">
                  {q.answer === null || q.answer === undefined ? (
                    <p className="text-sm text-slate-600 italic">{t('noAnswer')}</p>
                  ) : (
                    <QuestionInput question={q} value={q.answer} onChange={() => {}} disabled labelledBy={labelId} />
                  )}
                </div>
                {q.type === 'essay' && view.attempt.status !== 'graded' && (r?.score ?? null) === null && <p className="mt-3 text-sm font-medium text-amber-900">{t('essayWaiting')}</p>}
                {r && 'key' in r && <KeyText question={q} keyDef={r.key} />}
                {r && r.feedback.length > 0 && (
                  <div className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
                    <p className="font-semibold">{t('feedback')}</p>
                    {r.feedback.map((f, n) => (
                      <p key={n} className="mt-1 whitespace-pre-line">
                        {f}
                      </p>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
