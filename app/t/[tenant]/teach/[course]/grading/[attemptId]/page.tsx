import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { GradingForm, type GradingFormQuestion } from '@/components/teach/grading/grading-form';
import { Alert } from '@/components/ui/alert';
import { attemptForGrading, type GradingQuestion } from '@/lib/assessment/queue';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { loadTeachingCourse } from '../../load-course';
import { gradeAttemptAction } from '../actions';
import { pageError } from '../page-errors';

type Props = { params: Promise<{ tenant: string; course: string; attemptId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('grading.attempt'))('metaTitle', { course: loaded.course.title }) };
}

type Option = { id: string; text: string };

/** A learner's answer as plain text, with option ids turned back into the options' text. */
function answerText(q: GradingQuestion, yes: string, no: string): string | null {
  const a = q.answer;
  if (a === null || a === undefined) return null;
  const display = (q.display ?? {}) as { options?: Option[]; items?: Option[]; prompts?: Option[]; matches?: Option[] };
  const textOf = (list: Option[] | undefined, id: unknown) => list?.find((o) => o.id === id)?.text ?? String(id);
  if (typeof a === 'string') return q.type === 'single_choice' ? textOf(display.options, a) : a;
  if (typeof a === 'boolean') return a ? yes : no;
  if (typeof a === 'number') return String(a);
  if (Array.isArray(a)) {
    const list = q.type === 'ordering' ? display.items : display.options;
    return a.map((id, i) => (q.type === 'ordering' ? `${i + 1}. ${textOf(list, id)}` : textOf(list, id))).join('\n');
  }
  if (typeof a === 'object') {
    return Object.entries(a as Record<string, unknown>)
      .map(([p, m]) => `${textOf(display.prompts, p)} → ${textOf(display.matches, m)}`)
      .join('\n');
  }
  return JSON.stringify(a);
}

/** One attempt laid out for grading: the learner's answers question by question, essays scored by hand. */
export default async function GradeAttemptPage({ params }: Props) {
  const { tenant, course: slug, attemptId } = await params;
  if (!z.uuid().safeParse(attemptId).success) notFound();
  const ctx = await requireMember(tenant);
  const view = await withMember(ctx, (tx) => attemptForGrading(tx, ctx, attemptId)).catch(pageError);
  // The attempt must belong to the course in the address.
  if (view.course.slug !== slug) notFound();
  const [t, format] = await Promise.all([getTranslations('grading.attempt'), getFormatter()]);
  const typeLabel = (type: string) => (t.has(`types.${type}`) ? t(`types.${type}` as never) : type);
  const questions: GradingFormQuestion[] = await Promise.all(
    view.questions.map(async (q) => ({
      id: q.id,
      type: q.type,
      typeLabel: typeLabel(q.type),
      promptHtml: await sanitizeRichText(q.promptHtml),
      points: q.points,
      answerText: answerText(q, t('true'), t('false')),
      score: q.score,
      correct: q.correct,
      graderNotes: q.graderNotes,
    })),
  );
  const base = `/teach/${view.course.slug}/grading`;
  const { attempt } = view;

  return (
    <main className="space-y-6">
      <Link href={base} className="inline-flex items-center gap-1 text-sm font-medium text-slate-700 hover:text-slate-900 hover:underline">
        <span aria-hidden>←</span> {t('back')}
      </Link>
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-slate-900">{t('heading', { quiz: view.quiz.title })}</h2>
        <p className="text-slate-700">
          {t('attemptOf', { number: attempt.number, name: view.learner.name })} <span className="break-all text-slate-500">({view.learner.email})</span>
        </p>
        {attempt.submittedAt && (
          <p className="text-sm text-slate-600">{t('submittedAt', { date: format.dateTime(attempt.submittedAt, { dateStyle: 'medium', timeStyle: 'short' }) })}</p>
        )}
      </header>
      <div aria-live="polite">
        {attempt.status === 'graded' ? (
          <Alert tone="success">
            <span className="font-semibold">{t('graded', { score: attempt.score ?? 0, points: attempt.pointsPossible ?? 0 })}</span>
          </Alert>
        ) : (
          view.waiting > 0 && <Alert tone="info">{t('waitingCount', { count: view.waiting })}</Alert>
        )}
      </div>
      <GradingForm
        action={gradeAttemptAction}
        attemptId={attempt.id}
        questions={questions}
        previousHref={view.previousId ? `${base}/${view.previousId}` : null}
        nextHref={view.nextId ? `${base}/${view.nextId}` : null}
      />
    </main>
  );
}
