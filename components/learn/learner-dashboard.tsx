import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CourseCover } from '@/components/catalogue/course-cover';
import { buttonClass } from '@/components/ui/button';
import type { TenantRef } from '@/lib/auth/context';
import { fileUrl } from '@/lib/files/urls';
import type { LearnerCourse } from '@/lib/learning/player';
import { formatDay } from './format';
import { Icon } from './icons';
import { ProgressBar } from './progress-bar';

type Home = { inProgress: LearnerCourse[]; completed: LearnerCourse[]; pending: LearnerCourse[] };

const pctOf = (c: LearnerCourse) => (c.required ? Math.round((100 * c.done) / c.required) : 0);

/** The learner's courses: in progress (with progress and Continue), waiting for approval, completed. */
export async function LearnerDashboard({ tenant, home }: { tenant: TenantRef; home: Home }) {
  const [t, format] = await Promise.all([getTranslations('learn'), getFormatter()]);
  const cover = (c: LearnerCourse) => (c.coverKey ? fileUrl(tenant, c.coverKey, { filename: 'cover', disposition: 'inline' }) : null);

  if (!home.inProgress.length && !home.completed.length && !home.pending.length) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
        <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600">
          <Icon name="cap" className="size-6" />
        </span>
        <h2 className="mt-4 text-lg font-semibold">{t('emptyTitle')}</h2>
        <p className="mt-1 text-slate-600">{t('emptyBody')}</p>
        <Link href="/courses" className={buttonClass('primary', 'mt-6')}>
          {t('browseCatalogue')}
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-10">
      <section aria-labelledby="my-courses">
        <div className="flex items-end justify-between gap-4">
          <h2 id="my-courses" className="text-xl font-semibold">
            {t('myCourses')}
          </h2>
          <Link href="/courses" className="rounded text-sm font-medium text-slate-700 underline-offset-2 hover:underline">
            {t('browseCatalogue')}
          </Link>
        </div>
        {home.inProgress.length === 0 ? (
          <p className="mt-4 rounded-xl border border-slate-200 bg-white p-6 text-slate-600">{t('noneInProgress')}</p>
        ) : (
          <ul className="mt-4 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
            {home.inProgress.map((c) => {
              const pct = pctOf(c);
              const started = c.done > 0 || c.lastActivityAt !== null;
              return (
                <li key={c.enrolmentId} className="flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="my-course">
                  <CourseCover url={cover(c)} title={c.title} className="aspect-[5/2]" />
                  <div className="flex flex-1 flex-col p-5">
                    <h3 className="text-lg font-semibold leading-snug">
                      <Link href={`/courses/${c.slug}`} className="rounded hover:underline">
                        {c.title}
                      </Link>
                    </h3>
                    {c.summary && <p className="mt-1 line-clamp-2 text-sm text-slate-600">{c.summary}</p>}
                    <div className="mt-auto pt-5">
                      {c.required > 0 ? (
                        <>
                          <ProgressBar value={pct} label={t('progressOf', { title: c.title })} />
                          <p className="mt-2 flex justify-between text-xs text-slate-600">
                            <span>{t('progress', { done: c.done, total: c.required })}</span>
                            <span className="font-semibold text-slate-800">{t('percent', { percent: pct })}</span>
                          </p>
                        </>
                      ) : (
                        <p className="text-xs text-slate-600">{t('noRequired')}</p>
                      )}
                      <Link href={c.continueHref} className={buttonClass('primary', 'mt-4 w-full')}>
                        {started ? t('continue') : t('start')}
                        <span className="sr-only">: {c.title}</span>
                        <Icon name="arrowRight" />
                      </Link>
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {home.pending.length > 0 && (
        <section aria-labelledby="my-pending">
          <h2 id="my-pending" className="text-xl font-semibold">
            {t('pendingTitle')}
          </h2>
          <ul className="mt-4 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
            {home.pending.map((c) => (
              <li key={c.enrolmentId} className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
                <Link href={`/courses/${c.slug}`} className="rounded font-medium hover:underline">
                  {c.title}
                </Link>
                <span className="inline-flex items-center gap-1.5 rounded-full bg-amber-100 px-2.5 py-1 text-xs font-medium text-amber-900">
                  <Icon name="clock" className="size-3.5" />
                  {t('pendingBadge')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {home.completed.length > 0 && (
        <section aria-labelledby="my-completed">
          <h2 id="my-completed" className="text-xl font-semibold">
            {t('completedTitle')}
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {home.completed.map((c) => (
              <li key={c.enrolmentId} className="flex items-center gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-green-600 text-white">
                  <Icon name="badge" className="size-6" />
                </span>
                <div className="min-w-0 flex-1">
                  <h3 className="truncate font-semibold">
                    <Link href={`/courses/${c.slug}`} className="rounded hover:underline">
                      {c.title}
                    </Link>
                  </h3>
                  {c.completedAt && <p className="text-sm text-slate-600">{t('completedOn', { date: formatDay(format, c.completedAt) })}</p>}
                </div>
                <Link href={c.continueHref} className="shrink-0 rounded-md px-2 py-1 text-sm font-semibold text-slate-800 underline underline-offset-2 hover:bg-slate-100">
                  {t('review')}
                  <span className="sr-only">: {c.title}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
