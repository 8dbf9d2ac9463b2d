import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { DueSoon } from '@/components/calendar/due-soon';
import { LearnerDashboard } from '@/components/learn/learner-dashboard';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { dueSoon } from '@/lib/calendar/due-items';
import { learnerHome } from '@/lib/learning/player';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('learn'))('title') };
}

/** The learner's home: their courses with progress, requests waiting for approval, completed courses. */
export default async function LearnPage({ params }: { params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant);
  const now = new Date();
  const [t, tc, tp, [home, due]] = await Promise.all([
    getTranslations('learn'),
    getTranslations('certificates.mine'),
    getTranslations('programs.learner'),
    withMember(ctx, (tx) => Promise.all([learnerHome(tx, ctx), dueSoon(tx, ctx, now)])),
  ]);
  return (
    <main className="mx-auto max-w-6xl space-y-8 px-6 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-2 text-slate-600">{t('lede')}</p>
        </div>
        <nav aria-label={tc('learnNavLabel')} className="flex gap-4 text-sm font-medium">
          <Link href="/programs" className="rounded text-slate-700 underline-offset-2 hover:underline">
            {tp('title')}
          </Link>
          <Link href="/account/certificates" className="rounded text-slate-700 underline-offset-2 hover:underline">
            {tc('title')}
          </Link>
        </nav>
      </div>
      {(due.length > 0 || home.inProgress.length > 0) && <DueSoon items={due} now={now} />}
      <LearnerDashboard tenant={ctx.tenant} home={home} />
    </main>
  );
}
