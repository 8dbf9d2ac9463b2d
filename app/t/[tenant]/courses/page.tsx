import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { CatalogueFilters } from '@/components/catalogue/catalogue-filters';
import { CourseGrid } from '@/components/catalogue/course-grid';
import { Icon } from '@/components/learn/icons';
import { buttonClass } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { requireTenant } from '@/lib/auth/guard';
import { withTenantOf } from '@/lib/auth/with-member';
import { getBranding } from '@/lib/branding/service';
import { listCatalogue } from '@/lib/courses/catalogue';

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('catalogue'))('title') };
}

/** The catalogue: this organisation's published courses, searchable and filtered. Public. */
export default async function CataloguePage({ params, searchParams }: Props) {
  const tenant = await requireTenant((await params).tenant);
  const sp = await searchParams;
  const [t, branding, result] = await Promise.all([getTranslations('catalogue'), getBranding(tenant), withTenantOf(tenant, (tx) => listCatalogue(tx, sp))]);
  const { query } = result;
  const filtered = Boolean(query.q || query.category || query.language);
  return (
    <main className="mx-auto max-w-6xl px-6 py-10">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-slate-600">{t('lede', { org: branding.displayName })}</p>

      <div className="mt-6">
        <CatalogueFilters query={query} categories={result.categories} languages={result.languages} />
      </div>

      <p className="mt-6 text-sm text-slate-600" role="status">
        {t('results', { total: result.total })}
      </p>

      {result.rows.length === 0 ? (
        <div className="mt-4 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
          <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600">
            <Icon name={filtered ? 'search' : 'cap'} className="size-6" />
          </span>
          <h2 className="mt-4 text-lg font-semibold">{filtered ? (query.q ? t('emptyQuery', { q: query.q }) : t('emptyFilters')) : t('emptyNone')}</h2>
          <p className="mt-1 text-slate-600">{filtered ? t('emptyHint') : t('emptyNoneHint')}</p>
          {filtered && (
            <Link href="/courses" className={buttonClass('secondary', 'mt-6')}>
              {t('clear')}
            </Link>
          )}
        </div>
      ) : (
        <>
          <CourseGrid tenant={tenant} rows={result.rows} />
          <Pagination page={result.page} pageSize={result.pageSize} total={result.total} params={{ q: query.q, category: query.category, language: query.language }} />
        </>
      )}
    </main>
  );
}
