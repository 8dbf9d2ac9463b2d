import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { AssignmentGrader } from '@/components/teach/grading/assignment-grader';
import { ReleaseGrades } from '@/components/teach/grading/release-grades';
import { StateBadge } from '@/components/teach/grading/state-badge';
import { richTextClass } from '@/components/teach/rich-text-class';
import { submissionForGrading } from '@/lib/assignments/grading';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { fileUrl, inlineFor } from '@/lib/files/urls';
import { loadTeachingCourse } from '../../../../load-course';
import { pageError } from '../../../page-errors';
import { releaseGradesAction } from '../../../actions';
import { gradeAssignmentAction } from '../../actions';

type Props = { params: Promise<{ tenant: string; course: string; itemId: string; userId: string }>; searchParams: Promise<{ v?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('assignmentGrading'))('metaTitle', { course: loaded.course.title }) };
}

/**
 * SpeedGrader for assignments: one learner's submission (any version) beside the rubric, the late penalty,
 * Save / Save and next, keyboard moves between learners, and the item's release button.
 */
export default async function GradeAssignmentPage({ params, searchParams }: Props) {
  const { tenant, course: slug, itemId, userId } = await params;
  if (!z.uuid().safeParse(itemId).success || !z.uuid().safeParse(userId).success) notFound();
  const ctx = await requireMember(tenant);
  const view = await withMember(ctx, (tx) => submissionForGrading(tx, ctx, itemId, userId)).catch(pageError);
  if (view.course.slug !== slug) notFound();
  const [t, format] = await Promise.all([getTranslations('assignmentGrading'), getFormatter()]);
  const { v } = await searchParams;
  const grade = view.grade;
  // Open on the asked-for version, else the graded one, else the latest.
  const shown = view.versions.find((s) => String(s.version) === v) ?? view.versions.find((s) => s.version === grade?.submissionVersion) ?? view.versions[0] ?? null;
  const html = shown?.bodyHtml ? await sanitizeRichText(shown.bodyHtml) : '';
  const base = `/teach/${slug}/grading/assignments/${itemId}`;
  const hrefOf = (id: string | null) => (id ? `${base}/${id}` : null);
  const { content, learner } = view;
  const rubric = grade?.rubric ?? {};
  const initial = {
    levels: Object.fromEntries(Object.entries(rubric).map(([k, x]) => [k, x.levelId ?? ''])),
    comments: Object.fromEntries(Object.entries(rubric).map(([k, x]) => [k, x.comment ?? ''])),
    points: grade?.rawScore === null || grade?.rawScore === undefined ? '' : String(grade.rawScore),
    comment: grade?.comment ?? '',
  };
  const dateOf = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Link href={base} className="inline-flex items-center gap-1 text-sm font-medium text-slate-700 hover:text-slate-900 hover:underline">
          <span aria-hidden>←</span> {t('backToItem', { title: view.item.title })}
        </Link>
        <ReleaseGrades action={releaseGradesAction} itemId={itemId} title={view.item.title} hidden={view.hiddenCount} />
      </div>
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-slate-900">{view.item.title}</h2>
        <p className="flex flex-wrap items-center gap-2 text-slate-700">
          <span className="font-medium" data-testid="grading-learner">{learner.name}</span>
          <span className="break-all text-slate-500">({learner.email})</span>
          <StateBadge state={learner.state} waiting={learner.waiting} />
        </p>
        <p className="text-xs text-slate-600" id="grader-keys">
          {t('keys')}
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <section aria-labelledby="submission-heading" className="min-w-0 space-y-3">
          <h3 id="submission-heading" className="text-base font-semibold text-slate-900">
            {t('submission')}
          </h3>
          {!shown ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white px-5 py-8 text-center text-slate-600">{t('notSubmitted')}</p>
          ) : (
            <>
              {view.versions.length > 1 && (
                <nav aria-label={t('versions')} className="flex flex-wrap gap-2">
                  {view.versions.map((s) => (
                    <Link
                      key={s.version}
                      href={`${base}/${userId}?v=${s.version}`}
                      aria-current={s.version === shown.version ? 'page' : undefined}
                      className={`rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ${s.version === shown.version ? 'bg-slate-800 text-white ring-slate-800' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
                    >
                      {t('versionN', { version: s.version })}
                      {s.version === grade?.submissionVersion && <span className="sr-only"> {t('gradedMark')}</span>}
                      {s.version === grade?.submissionVersion && <span aria-hidden> ✓</span>}
                    </Link>
                  ))}
                </nav>
              )}
              <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="submission-shown">
                <p className="text-sm text-slate-600">
                  {t('versionLine', { version: shown.version, date: dateOf(shown.submittedAt) })} ·{' '}
                  <span className={shown.lateDays ? 'font-medium text-amber-800' : 'text-green-800'}>
                    {shown.lateDays === 0 ? t('onTime') : t('lateLine', { days: shown.lateDays, percent: shown.penaltyPercent })}
                  </span>
                </p>
                {html && <div className={`mt-3 ${richTextClass}`} dangerouslySetInnerHTML={{ __html: html }} />}
                {shown.url && (
                  <p className="mt-3 text-sm">
                    <span className="font-medium text-slate-800">{t('link')}: </span>
                    <a href={shown.url} target="_blank" rel="noopener noreferrer nofollow" className="break-all text-brand underline">
                      {shown.url}
                    </a>
                  </p>
                )}
                {shown.files.length > 0 && (
                  <ul className="mt-3 space-y-3">
                    {shown.files.map((f) => {
                      const href = fileUrl(ctx.tenant, f.key, { filename: f.name, disposition: inlineFor(f.contentType) });
                      return (
                        <li key={f.key} className="space-y-2">
                          <a href={fileUrl(ctx.tenant, f.key, { filename: f.name, disposition: 'attachment' })} download={f.name} className="text-sm font-medium text-brand underline">
                            {f.name}
                          </a>
                          {f.contentType.startsWith('application/pdf') && <iframe src={href} title={t('pdfTitle', { name: f.name })} className="h-[60vh] min-h-80 w-full rounded-md border border-slate-200 bg-slate-100" />}
                          {f.contentType.startsWith('image/') && (
                            // eslint-disable-next-line @next/next/no-img-element -- a signed, short-lived file URL, not an optimisable asset
                            <img src={href} alt={f.name} className="max-h-96 rounded-md border border-slate-200" />
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </div>
            </>
          )}
        </section>

        <section aria-labelledby="rubric-heading" className="space-y-3">
          <h3 id="rubric-heading" className="text-base font-semibold text-slate-900">
            {content.rubric ? t('rubric') : t('grade')}
          </h3>
          {grade?.submissionVersion && shown && grade.submissionVersion !== shown.version && <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t('gradedOtherVersion', { version: grade.submissionVersion })}</p>}
          {shown ? (
            <AssignmentGrader
              key={`${userId}-${shown.version}`}
              action={gradeAssignmentAction}
              itemId={itemId}
              userId={userId}
              version={shown.version}
              criteria={content.rubric?.criteria ?? null}
              pointsPossible={content.pointsPossible}
              penaltyPerDay={content.latePenaltyPercent}
              lateDays={shown.lateDays}
              initial={initial}
              previousHref={hrefOf(view.previousUserId)}
              nextHref={hrefOf(view.nextUserId)}
              hasNext={Boolean(view.nextWaitingUserId ?? view.nextUserId)}
            />
          ) : (
            <nav aria-label={t('navLabel')} className="flex gap-3 text-sm">
              {view.previousUserId && <Link href={hrefOf(view.previousUserId)!} className="font-medium text-slate-700 hover:underline">← {t('previous')}</Link>}
              {view.nextUserId && <Link href={hrefOf(view.nextUserId)!} className="font-medium text-slate-700 hover:underline">{t('next')} →</Link>}
            </nav>
          )}
        </section>
      </div>
    </main>
  );
}
