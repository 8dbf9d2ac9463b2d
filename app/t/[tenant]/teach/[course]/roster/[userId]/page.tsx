import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { AccommodationForm } from '@/components/teach/roster/accommodation-form';
import { ProgressBar } from '@/components/teach/roster/progress-bar';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { learnerAccommodations } from '@/lib/assessment/grading';
import { learnerDetail } from '@/lib/enrolment/roster';
import { loadTeachingCourse } from '../../load-course';
import { setAccommodationAction } from '../actions';
import { pageError } from '../page-errors';

type Props = { params: Promise<{ tenant: string; course: string; userId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('roster.detail'))('metaTitle', { course: loaded.course.title }) };
}

export default async function LearnerDetailPage({ params }: Props) {
  const { tenant, course: slug, userId } = await params;
  // Not a uuid cannot be anyone; answer 404 before the database has to reject it.
  if (!z.uuid().safeParse(userId).success) notFound();
  const ctx = await requireMember(tenant);
  const { detail, accommodations } = await withMember(ctx, async (tx) => {
    const detail = await learnerDetail(tx, ctx, slug, userId);
    return { detail, accommodations: await learnerAccommodations(tx, ctx, detail.course.id, userId) };
  }).catch(pageError);
  const [t, tr, ta, format] = await Promise.all([getTranslations('roster.detail'), getTranslations('roster'), getTranslations('roster.accommodations'), getFormatter()]);
  const { course, learner, enrolment, modules, required, done } = detail;
  const fraction = required ? done / required : 0;
  const progressText = required ? tr('progressText', { done, required, percent: fraction }) : tr('noRequired');
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'medium' });
  const titleOf = new Map(modules.flatMap((m) => m.items.map((i) => [i.id, i.title] as const)));
  const kindLabel = (kind: string) => (t.has(`kinds.${kind}`) ? t(`kinds.${kind}` as never) : kind);

  return (
    <main className="space-y-6">
      <Link href={`/teach/${course.slug}/roster`} className="inline-flex items-center gap-1 text-sm font-medium text-slate-700 hover:text-slate-900 hover:underline">
        <span aria-hidden>←</span> {t('back')}
      </Link>

      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-xl font-semibold text-slate-900">{learner.name}</h2>
            <p className="break-all text-slate-600">{learner.email}</p>
          </div>
          <div className="flex gap-2 text-xs font-medium">
            <span className="rounded-full bg-slate-100 px-2.5 py-1 text-slate-800 ring-1 ring-inset ring-slate-200">{tr(`roles.${enrolment.role}`)}</span>
            <span className="rounded-full bg-slate-100 px-2.5 py-1 text-slate-800 ring-1 ring-inset ring-slate-200">{tr(`statuses.${enrolment.status}`)}</span>
          </div>
        </div>
        {enrolment.status === 'pending' && (
          <div className="mt-4">
            <Alert tone="warning">{t('pendingNote', { name: learner.name, date: date(enrolment.createdAt) })}</Alert>
          </div>
        )}
        <dl className="mt-6 grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-slate-600">{t('enrolled')}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{enrolment.enrolledAt ? date(enrolment.enrolledAt) : t('notEnrolled')}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('lastActivity')}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">
              {enrolment.lastActivityAt ? (
                <time dateTime={enrolment.lastActivityAt.toISOString()} title={format.dateTime(enrolment.lastActivityAt, { dateStyle: 'medium', timeStyle: 'short' })}>
                  {format.relativeTime(enrolment.lastActivityAt)}
                </time>
              ) : (
                tr('never')
              )}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('completed')}</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{enrolment.completedAt ? date(enrolment.completedAt) : t('notCompleted')}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t('progress')}</dt>
            <dd className="mt-1 space-y-1">
              <ProgressBar value={fraction} label={t('progressFor', { name: learner.name })} text={progressText} />
              <span className="text-xs tabular-nums text-slate-600">{progressText}</span>
            </dd>
          </div>
        </dl>
      </Card>

      {accommodations.quizzes.length > 0 && enrolment.role === 'learner' && (
        <Card title={ta('title')}>
          <p className="text-sm text-slate-600">{accommodations.canEdit ? ta('intro', { name: learner.name }) : ta('readOnly')}</p>
          <div className="divide-y divide-slate-100">
            {accommodations.quizzes.map((q) => (
              <AccommodationForm key={q.itemId} action={setAccommodationAction} userId={learner.userId} quiz={q} canEdit={accommodations.canEdit} />
            ))}
          </div>
        </Card>
      )}

      {modules.length === 0 ? (
        <Card>
          <p className="py-4 text-center text-sm text-slate-600">{t('noModules')}</p>
        </Card>
      ) : (
        modules.map((m) => (
          <Card key={m.id} title={m.title}>
            {m.items.length === 0 ? (
              <p className="text-sm text-slate-600">{t('noItems')}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full min-w-[36rem] table-fixed text-left text-sm">
                  <caption className="sr-only">{t('itemsCaption', { module: m.title })}</caption>
                  <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                    <tr>
                      <th scope="col" className="w-5/12 py-2 pr-4">{t('colItem')}</th>
                      <th scope="col" className="w-2/12 py-2 pr-4">{t('colKind')}</th>
                      <th scope="col" className="w-5/12 py-2">{t('colStatus')}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {m.items.map((i) => (
                      <tr key={i.id} className="align-top">
                        <th scope="row" className="py-2.5 pr-4 text-left font-medium text-slate-900">
                          {i.title}
                          {!i.required && <span className="ml-2 text-xs font-normal text-slate-500">{t('optional')}</span>}
                        </th>
                        <td className="py-2.5 pr-4 text-slate-700">{kindLabel(i.kind)}</td>
                        <td className="py-2.5">
                          <ItemStatus
                            item={i}
                            labels={{
                              completed: i.completedAt ? t('statusCompleted', { date: date(i.completedAt) }) : '',
                              watched: i.watched !== null ? t('statusWatched', { percent: i.watched }) : '',
                              watchedLabel: t('watchedFor', { item: i.title }),
                              locked: i.lock.locked
                                ? i.lock.reason === 'prerequisite'
                                  ? i.lock.opensAt
                                    ? t('statusLockedPrerequisiteAndDate', { item: titleOf.get(i.lock.prerequisiteItemId) ?? '?', date: date(i.lock.opensAt) })
                                    : t('statusLockedPrerequisite', { item: titleOf.get(i.lock.prerequisiteItemId) ?? '?' })
                                  : t('statusLockedDate', { date: date(i.lock.opensAt) })
                                : '',
                              notStarted: t('statusNotStarted'),
                            }}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        ))
      )}
    </main>
  );
}

type Item = Awaited<ReturnType<typeof learnerDetail>>['modules'][number]['items'][number];

/** Completed beats everything; then how much of a video was watched; then why it is still closed. */
function ItemStatus({ item, labels }: { item: Item; labels: { completed: string; watched: string; watchedLabel: string; locked: string; notStarted: string } }) {
  const watched =
    item.watched !== null ? (
      <div className="mt-1 w-40">
        <ProgressBar value={item.watched} label={labels.watchedLabel} text={labels.watched} size="sm" />
      </div>
    ) : null;
  if (item.completedAt) {
    return (
      <div>
        <span className="inline-flex items-center gap-1.5 font-medium text-green-800">
          <span aria-hidden>✓</span> {labels.completed}
        </span>
        {watched && <div className="text-xs text-slate-600">{labels.watched}</div>}
      </div>
    );
  }
  if (item.watched !== null && item.watched > 0) {
    return (
      <div>
        <span className="text-slate-800">{labels.watched}</span>
        {watched}
      </div>
    );
  }
  if (item.lock.locked) {
    return (
      <span className="inline-flex items-start gap-1.5 text-amber-900">
        <svg aria-hidden viewBox="0 0 16 16" className="mt-0.5 size-3.5 shrink-0 fill-current">
          <path d="M4.5 7V5a3.5 3.5 0 1 1 7 0v2h.5A1.5 1.5 0 0 1 13.5 8.5v5A1.5 1.5 0 0 1 12 15H4a1.5 1.5 0 0 1-1.5-1.5v-5A1.5 1.5 0 0 1 4 7h.5Zm1.5 0h4V5a2 2 0 1 0-4 0v2Z" />
        </svg>
        {labels.locked}
      </span>
    );
  }
  return <span className="text-slate-600">{labels.notStarted}</span>;
}
