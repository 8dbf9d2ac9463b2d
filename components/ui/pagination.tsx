import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** Previous / next links that keep the other query parameters. */
export async function Pagination({ page, pageSize, total, params }: { page: number; pageSize: number; total: number; params: Record<string, string | undefined> }) {
  const t = await getTranslations('pagination');
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    q.set('page', String(p));
    return `?${q}`;
  };
  const link = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100';
  return (
    <nav aria-label={t('label')} className="mt-4 flex items-center justify-between text-sm text-slate-700">
      <p>{t('summary', { page: Math.min(page, pages), pages, total })}</p>
      <div className="flex gap-2">
        {page > 1 && (
          <Link className={link} href={href(page - 1)} rel="prev">
            {t('previous')}
          </Link>
        )}
        {page < pages && (
          <Link className={link} href={href(page + 1)} rel="next">
            {t('next')}
          </Link>
        )}
      </div>
    </nav>
  );
}
