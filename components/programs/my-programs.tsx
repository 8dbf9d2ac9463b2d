import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { ProgressBar } from '@/components/learn/progress-bar';
import { buttonClass } from '@/components/ui/button';
import type { LearnerProgram } from '@/lib/programs/service';

/** The learner's programs, each with "n of m courses completed". */
export async function MyPrograms({ programs }: { programs: LearnerProgram[] }) {
  const t = await getTranslations('programs.learner');
  if (!programs.length) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
        <h2 className="text-lg font-semibold">{t('emptyTitle')}</h2>
        <p className="mt-1 text-slate-600">{t('emptyBody')}</p>
        <Link href="/courses" className={buttonClass('primary', 'mt-6')}>
          {t('browse')}
        </Link>
      </div>
    );
  }
  return (
    <ul className="grid gap-6 sm:grid-cols-2">
      {programs.map((p) => (
        <li key={p.id} className="flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="my-program">
          <h2 className="text-lg font-semibold leading-snug">
            <Link href={`/programs/${p.slug}`} className="rounded hover:underline">
              {p.title}
            </Link>
          </h2>
          {p.summary && <p className="mt-1 line-clamp-2 text-sm text-slate-600">{p.summary}</p>}
          <div className="mt-auto space-y-2 pt-4">
            <ProgressBar value={(100 * p.completed) / p.total} label={t('progressLabel', { title: p.title })} />
            <p className="text-sm text-slate-700">{t('progress', { completed: p.completed, total: p.total })}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
