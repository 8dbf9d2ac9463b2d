import { getFormatter, getTranslations } from 'next-intl/server';
import type { RowError } from '@/lib/imports/rows';

/** The first problems of an import by line, with a link to download them all as CSV. */
export async function ImportProblems({ importId, errors, total, lede }: { importId: string; errors: RowError[]; total: number; lede?: string }) {
  const [t, format] = await Promise.all([getTranslations('imports'), getFormatter()]);
  if (!total) return null;
  return (
    <section aria-labelledby={`problems-${importId}`} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`problems-${importId}`} className="text-base font-semibold text-slate-900">
          {t('problemsTitle')}
        </h2>
        <a href={`/admin/import/${importId}/errors`} download className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-semibold text-slate-900 hover:bg-slate-100">
          {t('downloadProblems')}
        </a>
      </div>
      {lede && <p className="text-sm text-slate-700">{lede}</p>}
      <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
        <table className="w-full text-left text-sm" data-testid="import-problems">
          <caption className="sr-only">{t('problemsCaption')}</caption>
          <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t('colLine')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('colColumn')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('colProblem')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {errors.map((e, i) => (
              <tr key={`${e.line}-${e.field}-${i}`}>
                <td className="px-3 py-1.5 tabular-nums text-slate-600">{e.line > 0 ? format.number(e.line) : t('lineFile')}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{e.field}</td>
                <td className="px-3 py-1.5">
                  {t(`problems.${e.message}`, (e.params ?? {}) as never)}
                  {e.apply && <span className="ml-1 text-xs text-slate-500">({t('duringImport')})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > errors.length && <p className="text-sm text-slate-600">{t('moreProblems', { count: total - errors.length })}</p>}
    </section>
  );
}
