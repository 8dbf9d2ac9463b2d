import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getFormatter, getTranslations } from 'next-intl/server';
import { formatDay } from '@/components/learn/format';
import { ProgressBar } from '@/components/learn/progress-bar';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { FeatureError } from '@/lib/certificates/errors';
import { programForLearner } from '@/lib/programs/service';

type Props = { params: Promise<{ tenant: string; slug: string }> };

const load = cache(async (tenant: string, slug: string) => {
  const ctx = await requireMember(tenant);
  return withMember(ctx, (tx) => programForLearner(tx, ctx, slug)).catch((e: unknown) => {
    if (e instanceof FeatureError && e.status === 404) notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, slug } = await params;
  return { title: (await load(tenant, slug)).program.title };
}

/** One program: its courses in order, where the learner stands in each, and the program certificate once earned. */
export default async function ProgramPage({ params }: Props) {
  const { tenant, slug } = await params;
  const data = await load(tenant, slug);
  const [t, format] = await Promise.all([getTranslations('programs.learner'), getFormatter()]);
  const { program, courses, completed, certificate } = data;
  return (
    <main className="mx-auto max-w-3xl space-y-8 px-6 py-10">
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link href="/programs" className="text-slate-600 hover:text-slate-900 hover:underline">
          ← {t('back')}
        </Link>
      </nav>
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">{t('kind')}</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">{program.title}</h1>
        {program.summary && <p className="mt-2 text-slate-700">{program.summary}</p>}
      </div>
      <section aria-labelledby="program-progress" className="space-y-2 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="program-progress" className="font-semibold">
          {t('progress', { completed, total: courses.length })}
        </h2>
        <ProgressBar value={courses.length ? (100 * completed) / courses.length : 0} label={t('progressLabel', { title: program.title })} />
        {certificate ? (
          <p className="text-sm text-slate-700">
            {t('certificateIssued', { date: formatDay(format, certificate.issuedAt) })}{' '}
            <Link href={`/account/certificates#certificate-${certificate.id}`} className="font-medium underline underline-offset-2">
              {t('certificateLink')}
            </Link>
          </p>
        ) : (
          <p className="text-sm text-slate-700">{t('certificateHint')}</p>
        )}
      </section>
      <section aria-labelledby="program-courses">
        <h2 id="program-courses" className="text-xl font-semibold">
          {t('coursesTitle')}
        </h2>
        <ol className="mt-4 space-y-3">
          {courses.map((c, i) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="program-course">
              <div className="flex items-center gap-3">
                <span className="flex size-8 items-center justify-center rounded-full bg-slate-100 text-sm font-semibold text-slate-700" aria-hidden>
                  {i + 1}
                </span>
                <Link href={c.enrolment === 'active' || c.enrolment === 'completed' ? `/learn/${c.slug}` : `/courses/${c.slug}`} className="font-medium hover:underline">
                  {c.title}
                </Link>
              </div>
              <span
                className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${c.enrolment === 'completed' ? 'bg-green-100 text-green-900' : c.enrolment === 'none' ? 'bg-slate-100 text-slate-800' : 'bg-amber-100 text-amber-900'}`}
              >
                {t(`courseState.${c.enrolment}`)}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
