import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { languageName } from '@/components/learn/format';
import { Icon } from '@/components/learn/icons';
import { buttonClass } from '@/components/ui/button';

const control = 'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand';

/** Search and filters as a plain GET form: links can be shared, and it works without JavaScript. */
export async function CatalogueFilters({ query, categories, languages }: { query: { q?: string; category?: string; language?: string }; categories: string[]; languages: string[] }) {
  const [t, locale] = await Promise.all([getTranslations('catalogue'), getLocale()]);
  const filtered = Boolean(query.q || query.category || query.language);
  return (
    <form method="get" action="/courses" role="search" aria-label={t('searchLabel')} className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] lg:items-end">
      <div className="sm:col-span-2 lg:col-span-1">
        <label htmlFor="catalogue-q" className="block text-sm font-medium text-slate-800">
          {t('searchLabel')}
        </label>
        <div className="relative mt-1">
          <Icon name="search" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" />
          <input id="catalogue-q" type="search" name="q" defaultValue={query.q ?? ''} maxLength={100} placeholder={t('searchPlaceholder')} className={`${control} pl-9`} />
        </div>
      </div>
      <div>
        <label htmlFor="catalogue-category" className="block text-sm font-medium text-slate-800">
          {t('category')}
        </label>
        <select id="catalogue-category" name="category" defaultValue={query.category ?? ''} className={`${control} mt-1`}>
          <option value="">{t('allCategories')}</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="catalogue-language" className="block text-sm font-medium text-slate-800">
          {t('language')}
        </label>
        <select id="catalogue-language" name="language" defaultValue={query.language ?? ''} className={`${control} mt-1`}>
          <option value="">{t('allLanguages')}</option>
          {languages.map((l) => (
            <option key={l} value={l}>
              {languageName(locale, l)}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-2 sm:col-span-2 lg:col-span-1">
        <button type="submit" className={buttonClass('primary', 'flex-1 lg:flex-none')}>
          {t('apply')}
        </button>
        {filtered && (
          <Link href="/courses" className={buttonClass('ghost')}>
            {t('clear')}
          </Link>
        )}
      </div>
    </form>
  );
}
