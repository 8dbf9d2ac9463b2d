import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { GradebookGrid } from '@/components/teach/gradebook/gradebook-grid';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { gradebookPage } from '@/lib/gradebook/service';
import { loadTeachingCourse } from '../load-course';
import { pageError } from '../roster/page-errors';
import { editCellAction } from './actions';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('gradebook'))('metaTitle', { course: loaded.course.title }) };
}

/** The staff gradebook: learners × gradable items grouped by category, with category %, total and letter. */
export default async function GradebookPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const ctx = await requireMember(tenant);
  const sp = await searchParams;
  const book = await withMember(ctx, (tx) => gradebookPage(tx, ctx, slug, sp)).catch(pageError);
  const [t, format] = await Promise.all([getTranslations('gradebook'), getFormatter()]);
  const { course, columns, rows, query } = book;
  const base = `/teach/${course.slug}/gradebook`;
  const pct = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${format.number(n, { maximumFractionDigits: 2, minimumFractionDigits: 2 })} %`);
  const pts = (n: number | null) => (n === null ? '–' : format.number(n, { maximumFractionDigits: 2 }));
  const sortHref = (sort: 'name' | 'total') => {
    const q = new URLSearchParams();
    if (query.q) q.set('q', query.q);
    q.set('sort', sort);
    if (query.sort === sort) q.set('dir', query.dir === 'asc' ? 'desc' : 'asc');
    return `?${q}`;
  };
  const sortMark = (sort: 'name' | 'total') => (query.sort === sort ? (query.dir === 'asc' ? ' ↑' : ' ↓') : '');
  const ariaSort = (sort: 'name' | 'total') => (query.sort === sort ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined);
  const categoryColumns = columns.filter((c) => c.id !== '');
  const loose = columns.find((c) => c.id === '');

  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
          <p className="text-sm text-slate-600">{book.weighting === 'weighted' ? t('ledeWeighted') : t('ledePoints')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={`${base}/settings`} className={buttonClass('secondary')}>
            {t('settingsLink')}
          </Link>
          <Link href={`${base}/import`} className={buttonClass('secondary')}>
            {t('importLink')}
          </Link>
          <a href={`${base}/export`} download className={buttonClass('secondary')}>
            {t('exportLink')}
          </a>
        </div>
      </div>

      {book.items.length === 0 ? (
        <Card>
          <div className="py-6 text-center">
            <p className="text-lg font-medium text-slate-900">{t('emptyItems')}</p>
            <p className="mt-1 text-sm text-slate-600">{t('emptyItemsHint')}</p>
          </div>
        </Card>
      ) : (
        <Card>
          <form method="get" action={base} role="search" aria-label={t('searchLabel')} className="mb-4 flex flex-wrap items-end gap-3">
            <div className="min-w-48 flex-1">
              <label htmlFor="gradebook-q" className="block text-sm font-medium">
                {t('search')}
              </label>
              <input id="gradebook-q" name="q" type="search" defaultValue={query.q ?? ''} placeholder={t('searchPlaceholder')} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <input type="hidden" name="sort" value={query.sort} />
            <button type="submit" className={buttonClass('secondary')}>
              {t('searchButton')}
            </button>
            {query.q && (
              <Link href={base} className={buttonClass('ghost')}>
                {t('clearSearch')}
              </Link>
            )}
          </form>

          {rows.length === 0 ? (
            <div className="rounded-md border border-dashed border-slate-300 px-6 py-10 text-center">
              <p className="font-medium text-slate-900">{query.q ? t('noMatches') : t('emptyLearners')}</p>
              <p className="mt-1 text-sm text-slate-600">{query.q ? t('noMatchesHint') : t('emptyLearnersHint')}</p>
            </div>
          ) : (
            <GradebookGrid courseSlug={course.slug} action={editCellAction}>
              <div className="-mx-6 max-h-[70vh] overflow-auto border-y border-slate-200">
                <table className="min-w-full border-separate border-spacing-0 text-sm" data-gradebook>
                  <caption className="sr-only">{t('caption', { course: course.title, page: book.page })}</caption>
                  <thead className="text-xs text-slate-700">
                    <tr>
                      <th scope="col" rowSpan={2} className="sticky left-0 top-0 z-30 min-w-56 border-b border-r border-slate-200 bg-slate-50 px-4 py-2 text-left font-semibold" aria-sort={ariaSort('name')}>
                        <Link href={sortHref('name')} className="hover:underline">
                          {t('colLearner')}
                          {sortMark('name')}
                        </Link>
                      </th>
                      {columns.map((c) => (
                        <th key={c.id || 'loose'} scope="colgroup" colSpan={Math.max(1, c.items.length)} className="sticky top-0 z-20 border-b border-r border-slate-200 bg-slate-100 px-3 py-1.5 text-left font-semibold">
                          {c.id ? (
                            <>
                              {c.name} <span className="font-normal text-slate-600">· {book.weighting === 'weighted' ? t('weight', { weight: c.weight }) : t('noWeight')}</span>
                              {c.dropLowest > 0 && <span className="font-normal text-slate-600"> · {t('dropsLowest', { count: c.dropLowest })}</span>}
                            </>
                          ) : (
                            <span>{t('uncategorised')}</span>
                          )}
                        </th>
                      ))}
                      <th scope="colgroup" colSpan={categoryColumns.length + (loose ? 1 : 0) + 2} className="sticky top-0 z-20 border-b border-slate-200 bg-slate-100 px-3 py-1.5 text-left font-semibold">
                        {t('results')}
                      </th>
                    </tr>
                    <tr>
                      {columns.flatMap((c) =>
                        c.items.map((i) => (
                          <th key={i.id} scope="col" className="sticky top-8 z-20 min-w-24 max-w-40 border-b border-r border-slate-200 bg-slate-50 px-3 py-2 text-left align-bottom font-medium">
                            <span className="line-clamp-2" title={i.title}>
                              {i.title}
                            </span>
                            <span className="block font-normal text-slate-500">{t('outOf', { points: pts(i.pointsPossible) })}</span>
                          </th>
                        )),
                      )}
                      {[...categoryColumns, ...(loose ? [loose] : [])].map((c) => (
                        <th key={`pct-${c.id}`} scope="col" className="sticky top-8 z-20 border-b border-r border-slate-200 bg-slate-50 px-3 py-2 text-right align-bottom font-medium">
                          {c.id ? c.name : t('uncategorised')} %
                        </th>
                      ))}
                      <th scope="col" className="sticky top-8 z-20 border-b border-r border-slate-200 bg-slate-50 px-3 py-2 text-right align-bottom font-semibold" aria-sort={ariaSort('total')}>
                        <Link href={sortHref('total')} className="hover:underline">
                          {t('colTotal')}
                          {sortMark('total')}
                        </Link>
                      </th>
                      <th scope="col" className="sticky top-8 z-20 border-b border-slate-200 bg-slate-50 px-3 py-2 text-left align-bottom font-semibold">
                        {t('colLetter')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, rowIndex) => (
                      <tr key={r.enrolmentId} data-testid="gradebook-row" className="group">
                        <th scope="row" className="sticky left-0 z-10 border-b border-r border-slate-200 bg-white px-4 py-2 text-left font-normal group-hover:bg-slate-50">
                          <span className="block font-medium text-slate-900">{r.name}</span>
                          <span className="block text-xs text-slate-600">{r.email}</span>
                        </th>
                        {columns.flatMap((c) =>
                          c.items.map((i, colIndex) => {
                            const cell = r.cells[i.id];
                            const dropped = r.dropped.includes(i.id);
                            const col = columns.slice(0, columns.indexOf(c)).reduce((n, x) => n + x.items.length, 0) + colIndex;
                            const text = !cell ? '–' : cell.excused ? t('excusedShort') : cell.counted === null ? '–' : pts(cell.counted);
                            const notes = [
                              cell?.overrideScore !== null && cell?.overrideScore !== undefined ? t('overridden') : null,
                              cell && !cell.released && (cell.counted !== null || cell.excused) ? t('hidden') : null,
                              dropped ? t('dropped') : null,
                              cell?.excused ? t('excused') : null,
                            ].filter(Boolean);
                            return (
                              <td key={i.id} className="border-b border-r border-slate-200 p-0 text-right tabular-nums group-hover:bg-slate-50">
                                <button
                                  type="button"
                                  data-cell
                                  data-row={rowIndex}
                                  data-col={col}
                                  data-item={i.id}
                                  data-enrolment={r.enrolmentId}
                                  data-learner={r.name}
                                  data-title={i.title}
                                  tabIndex={rowIndex === 0 && col === 0 ? 0 : -1}
                                  aria-label={t('cellLabel', { name: r.name, item: i.title, value: text, notes: notes.join(', ') })}
                                  className={`flex w-full items-center justify-end gap-1 px-3 py-2 hover:bg-slate-100 focus:bg-amber-50 focus:outline-2 focus:-outline-offset-2 focus:outline-slate-900 ${dropped ? 'text-slate-400 line-through' : 'text-slate-900'}`}
                                >
                                  {cell && !cell.released && (cell.counted !== null || cell.excused) && (
                                    <span aria-hidden title={t('hidden')} className="text-slate-400">
                                      ◌
                                    </span>
                                  )}
                                  <span className={cell?.excused ? 'font-semibold text-slate-600' : ''}>{text}</span>
                                  {cell?.overrideScore !== null && cell?.overrideScore !== undefined && (
                                    <span aria-hidden title={t('overridden')} className="rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900">
                                      {t('overriddenShort')}
                                    </span>
                                  )}
                                </button>
                              </td>
                            );
                          }),
                        )}
                        {[...categoryColumns, ...(loose ? [loose] : [])].map((c) => (
                          <td key={`pct-${c.id}`} className="border-b border-r border-slate-200 px-3 py-2 text-right tabular-nums text-slate-700 group-hover:bg-slate-50">
                            {pct(r.categories[c.id]?.percent)}
                          </td>
                        ))}
                        <td className="border-b border-r border-slate-200 px-3 py-2 text-right font-semibold tabular-nums text-slate-900 group-hover:bg-slate-50">{pct(r.total)}</td>
                        <td className="border-b border-slate-200 px-3 py-2 font-semibold text-slate-900 group-hover:bg-slate-50">{r.letter ?? '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </GradebookGrid>
          )}
          <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
            <span>{t('legendExcused')}</span>
            <span>
              <span className="rounded bg-amber-100 px-1 font-semibold text-amber-900">{t('overriddenShort')}</span> {t('overridden')}
            </span>
            <span>◌ {t('hidden')}</span>
            <span className="line-through">{t('dropped')}</span>
            <span>{t('legendKeys')}</span>
          </p>
          <Pagination page={book.page} pageSize={book.pageSize} total={book.total} params={{ q: query.q, sort: query.sort === 'name' ? undefined : query.sort, dir: query.dir }} />
        </Card>
      )}
    </main>
  );
}
