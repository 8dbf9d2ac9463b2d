import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ReleaseGrades } from '@/components/teach/grading/release-grades';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { gradingQueue } from '@/lib/assessment/queue';
import { assignmentQueue } from '@/lib/assignments/grading';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { loadTeachingCourse } from '../load-course';
import { releaseGradesAction } from './actions';
import { pageError } from './page-errors';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('grading'))('metaTitle', { course: loaded.course.title }) };
}

/** The course's grading queue: quiz attempts with essays and assignment submissions waiting for a person, oldest first. */
export default async function GradingQueuePage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const releasedParam = (await searchParams).released;
  const released = typeof releasedParam === 'string' && /^\d{1,7}$/.test(releasedParam) ? Number(releasedParam) : null;
  const ctx = await requireMember(tenant);
  const { course, rows, toRelease, assignments } = await withMember(ctx, async (tx) => ({ ...(await gradingQueue(tx, ctx, slug)), assignments: await assignmentQueue(tx, ctx, slug) })).catch(pageError);
  const [t, ta, format] = await Promise.all([getTranslations('grading'), getTranslations('assignmentGrading'), getFormatter()]);

  return (
    <main className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
        <p className="text-sm text-slate-600">{t('description')}</p>
      </div>
      {released !== null && (
        <div role="status">
          <Alert tone="success">{ta('released', { count: released })}</Alert>
        </div>
      )}
      {rows.length === 0 && assignments.waiting.length > 0 ? null : rows.length === 0 ? (
        <Card>
          <div className="py-6 text-center">
            <p className="text-lg font-medium text-slate-900">{t('empty')}</p>
            <p className="mt-1 text-sm text-slate-600">{t('emptyHint')}</p>
          </div>
        </Card>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{t('tableLabel')}</caption>
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">{t('learner')}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t('quiz')}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t('submitted')}</th>
                <th scope="col" className="px-4 py-2 font-medium">{t('waiting')}</th>
                <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">{t('grade')}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.attemptId}>
                  <td className="px-4 py-2">
                    <div className="font-medium text-slate-900">{r.learnerName}</div>
                    <div className="break-all text-slate-600">{r.learnerEmail}</div>
                  </td>
                  <td className="px-4 py-2 text-slate-800">{r.quizTitle}</td>
                  <td className="px-4 py-2 text-slate-700">
                    {r.submittedAt && (
                      <time dateTime={r.submittedAt.toISOString()} title={format.dateTime(r.submittedAt, { dateStyle: 'medium', timeStyle: 'short' })}>
                        {format.dateTime(r.submittedAt, { dateStyle: 'medium', timeStyle: 'short' })}
                      </time>
                    )}
                  </td>
                  <td className="px-4 py-2 text-slate-700">{t('waitingCount', { count: r.waiting })}</td>
                  <td className="px-4 py-2 text-right">
                    <Link
                      href={`/teach/${course.slug}/grading/${r.attemptId}`}
                      aria-label={t('gradeLabel', { quiz: r.quizTitle, name: r.learnerName })}
                      className={buttonClass('primary')}
                    >
                      {t('grade')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {toRelease.length > 0 && (
        <section aria-labelledby="quizzes-to-release" className="space-y-3 pt-4">
          <div>
            <h3 id="quizzes-to-release" className="text-lg font-semibold text-slate-900">{t('toReleaseTitle')}</h3>
            <p className="text-sm text-slate-600">{t('toReleaseLede')}</p>
          </div>
          <ul className="grid gap-3 md:grid-cols-2">
            {toRelease.map((q) => (
              <li key={q.itemId} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="quiz-to-release">
                <p className="font-medium text-slate-900">{q.title}</p>
                <p className="text-sm text-slate-600">{t('hiddenCount', { count: q.hidden })}</p>
                <ReleaseGrades action={releaseGradesAction} itemId={q.itemId} title={q.title} hidden={q.hidden} kind="quiz" afterHref={`/teach/${course.slug}/grading?released={released}`} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {assignments.assignments.length > 0 && (
        <section aria-labelledby="assignments-queue" className="space-y-3 pt-4">
          <div>
            <h3 id="assignments-queue" className="text-lg font-semibold text-slate-900">{ta('queueTitle')}</h3>
            <p className="text-sm text-slate-600">{ta('queueLede')}</p>
          </div>
          <ul className="grid gap-3 md:grid-cols-2">
            {assignments.assignments.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="assignment-summary">
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">{a.title}</p>
                  <p className="text-sm text-slate-600">{ta('counts', { waiting: a.waiting, hidden: a.counts.graded_hidden, released: a.counts.released, missing: a.counts.not_submitted })}</p>
                </div>
                <Link href={`/teach/${course.slug}/grading/assignments/${a.id}`} aria-label={ta('openItemLabel', { title: a.title })} className={buttonClass('secondary')}>
                  {ta('openItem')}
                </Link>
              </li>
            ))}
          </ul>
          {assignments.waiting.length === 0 ? (
            <p className="text-sm text-slate-600">{ta('queueEmpty')}</p>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">{ta('queueTable')}</caption>
                <thead className="bg-slate-50 text-left text-slate-700">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">{t('learner')}</th>
                    <th scope="col" className="px-4 py-2 font-medium">{ta('assignment')}</th>
                    <th scope="col" className="px-4 py-2 font-medium">{t('submitted')}</th>
                    <th scope="col" className="px-4 py-2 font-medium">{ta('versionColumn')}</th>
                    <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">{t('grade')}</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {assignments.waiting.map((w) => (
                    <tr key={`${w.itemId}-${w.userId}`} data-testid="assignment-waiting">
                      <td className="px-4 py-2">
                        <div className="font-medium text-slate-900">{w.name}</div>
                        <div className="break-all text-slate-600">{w.email}</div>
                      </td>
                      <td className="px-4 py-2 text-slate-800">{w.title}</td>
                      <td className="px-4 py-2 text-slate-700">
                        {w.submittedAt && <time dateTime={w.submittedAt.toISOString()}>{format.dateTime(w.submittedAt, { dateStyle: 'medium', timeStyle: 'short' })}</time>}
                        {w.lateDays > 0 && <span className="ml-2 text-amber-800">{ta('lateDays', { days: w.lateDays })}</span>}
                      </td>
                      <td className="px-4 py-2 text-slate-700">{w.regrade ? ta('versionRegrade', { version: w.version }) : ta('versionN', { version: w.version })}</td>
                      <td className="px-4 py-2 text-right">
                        <Link href={`/teach/${course.slug}/grading/assignments/${w.itemId}/${w.userId}`} aria-label={t('gradeLabel', { quiz: w.title, name: w.name })} className={buttonClass('primary')}>
                          {t('grade')}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </main>
  );
}
