import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMember } from '@/lib/auth/guard';
import { myGrades } from '@/lib/gradebook/service';
import type { MemberContext } from '@/lib/auth/context';
import { learnerCourseRead } from '../../load';

type Props = { params: Promise<{ tenant: string; course: string }> };

async function load(ctx: MemberContext, slug: string) {
  return learnerCourseRead(ctx, slug, (tx) => myGrades(tx, ctx, slug));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const grades = await load(await requireMember(tenant), course);
  return { title: (await getTranslations('myGrades'))('metaTitle', { course: grades.course.title }) };
}

/** A learner's own grades in a course: released cells only, with category %, total and letter from them. */
export default async function MyGradesPage({ params }: Props) {
  const { tenant, course: slug } = await params;
  const g = await load(await requireMember(tenant), slug);
  const [t, format] = await Promise.all([getTranslations('myGrades'), getFormatter()]);
  const n = (x: number | null) => (x === null ? '–' : format.number(x, { maximumFractionDigits: 2 }));
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${format.number(x, { maximumFractionDigits: 2, minimumFractionDigits: 2 })} %`);
  const anyItems = g.columns.some((c) => c.items.length > 0);

  return (
    <main className="mx-auto max-w-4xl space-y-6 px-6 py-10">
      <div>
        <Link href={`/learn/${g.course.slug}`} className="text-sm font-medium text-slate-600 hover:text-slate-900">
          ← {g.course.title}
        </Link>
        <h1 className="mt-2 text-2xl font-bold text-slate-900">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
      </div>

      <section aria-labelledby="total-title" className="grid gap-3 sm:grid-cols-2">
        <h2 id="total-title" className="sr-only">{t('totalTitle')}</h2>
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('total')}</p>
          <p className="mt-1 text-3xl font-bold tabular-nums text-slate-900" data-testid="my-total">{pct(g.total)}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{t('letter')}</p>
          <p className="mt-1 text-3xl font-bold text-slate-900" data-testid="my-letter">{g.letter ?? '–'}</p>
        </div>
      </section>

      {!anyItems ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <p className="font-medium text-slate-900">{t('empty')}</p>
        </div>
      ) : (
        g.columns.map((c) => (
          <section key={c.id || 'loose'} aria-labelledby={`cat-${c.id || 'loose'}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-5 py-3">
              <h2 id={`cat-${c.id || 'loose'}`} className="font-semibold text-slate-900">
                {c.id ? c.name : t('uncategorised')}
                {c.id && g.weighting === 'weighted' && <span className="ml-2 text-sm font-normal text-slate-600">{t('weight', { weight: c.weight })}</span>}
                {c.dropLowest > 0 && <span className="ml-2 text-sm font-normal text-slate-600">{t('drops', { count: c.dropLowest })}</span>}
              </h2>
              <span className="text-sm font-semibold tabular-nums text-slate-900">{pct(g.categories[c.id]?.percent)}</span>
            </div>
            <table className="w-full text-sm">
              <caption className="sr-only">{t('caption', { category: c.id ? c.name : t('uncategorised') })}</caption>
              <thead className="text-left text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="px-5 py-2">{t('colItem')}</th>
                  <th scope="col" className="px-5 py-2 text-right">{t('colScore')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {c.items.map((i) => {
                  const cell = g.cells[i.id];
                  const dropped = g.dropped.includes(i.id);
                  let text: string;
                  if (!cell) text = t('notGraded');
                  else if ('hidden' in cell) text = t('notReleased');
                  else if (cell.excused) text = t('excused');
                  else if (cell.counted === null) text = t('notGraded');
                  else text = t('score', { score: n(cell.counted), points: n(cell.pointsPossible) });
                  return (
                    <tr key={i.id}>
                      <th scope="row" className="px-5 py-2 text-left font-normal text-slate-900">
                        {i.title}
                        {dropped && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{t('dropped')}</span>}
                      </th>
                      <td className={`px-5 py-2 text-right tabular-nums ${cell && !('hidden' in cell) && !cell.excused && cell.counted !== null ? 'text-slate-900' : 'text-slate-500'}`}>{text}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))
      )}
      <p className="text-xs text-slate-600">{t('rules')}</p>
    </main>
  );
}
