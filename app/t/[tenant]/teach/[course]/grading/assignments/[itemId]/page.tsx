import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { ReleaseGrades } from '@/components/teach/grading/release-grades';
import { StateBadge } from '@/components/teach/grading/state-badge';
import { buttonClass } from '@/components/ui/button';
import { submissionsForGrading } from '@/lib/assignments/grading';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { loadTeachingCourse } from '../../../load-course';
import { pageError } from '../../page-errors';
import { releaseGradesAction } from '../../actions';

type Props = { params: Promise<{ tenant: string; course: string; itemId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('assignmentGrading'))('itemMetaTitle', { course: loaded.course.title }) };
}

/** One assignment's learners with their state (not submitted, submitted, graded – hidden, released) and the release button. */
export default async function AssignmentLearnersPage({ params }: Props) {
  const { tenant, course: slug, itemId } = await params;
  if (!z.uuid().safeParse(itemId).success) notFound();
  const ctx = await requireMember(tenant);
  const view = await withMember(ctx, (tx) => submissionsForGrading(tx, ctx, itemId)).catch(pageError);
  if (view.course.slug !== slug) notFound();
  const [t, format] = await Promise.all([getTranslations('assignmentGrading'), getFormatter()]);
  const base = `/teach/${slug}/grading/assignments/${itemId}`;
  const hidden = view.learners.filter((l) => l.state === 'graded_hidden').length;

  return (
    <main className="space-y-5">
      <Link href={`/teach/${slug}/grading`} className="inline-flex items-center gap-1 text-sm font-medium text-slate-700 hover:text-slate-900 hover:underline">
        <span aria-hidden>←</span> {t('back')}
      </Link>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{view.item.title}</h2>
          <p className="text-sm text-slate-600">{t('itemLede', { points: view.content.pointsPossible })}</p>
        </div>
        <ReleaseGrades action={releaseGradesAction} itemId={itemId} title={view.item.title} hidden={hidden} />
      </header>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{t('learnersTable')}</caption>
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">{t('learner')}</th>
              <th scope="col" className="px-4 py-2 font-medium">{t('state')}</th>
              <th scope="col" className="px-4 py-2 font-medium">{t('latest')}</th>
              <th scope="col" className="px-4 py-2 font-medium">{t('score')}</th>
              <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">{t('grade')}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.learners.map((l) => (
              <tr key={l.userId} data-testid="learner-row" data-learner={l.name}>
                <td className="px-4 py-2">
                  <div className="font-medium text-slate-900">{l.name}</div>
                  <div className="break-all text-slate-600">{l.email}</div>
                </td>
                <td className="px-4 py-2"><StateBadge state={l.state} waiting={l.waiting} /></td>
                <td className="px-4 py-2 text-slate-700">
                  {l.latestVersion !== null && l.submittedAt
                    ? t('latestVersion', { version: l.latestVersion, date: format.dateTime(l.submittedAt, { dateStyle: 'medium', timeStyle: 'short' }) })
                    : '—'}
                </td>
                <td className="px-4 py-2 text-slate-700">{l.score === null ? '—' : t('scoreOf', { score: l.score, points: view.content.pointsPossible })}</td>
                <td className="px-4 py-2 text-right">
                  <Link href={`${base}/${l.userId}`} aria-label={l.latestVersion === null ? t('openLabel', { name: l.name }) : t('gradeLabel', { name: l.name })} className={buttonClass(l.waiting ? 'primary' : 'secondary')}>
                    {l.latestVersion === null ? t('open') : t('grade')}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
