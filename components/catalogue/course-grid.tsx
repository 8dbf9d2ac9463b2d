import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { formatDay, languageName } from '@/components/learn/format';
import { Icon } from '@/components/learn/icons';
import type { TenantRef } from '@/lib/auth/context';
import { fileUrl } from '@/lib/files/urls';
import { CourseCover } from './course-cover';

export type CatalogueRow = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  coverKey: string | null;
  category: string | null;
  language: string;
  enrolmentMode: 'open' | 'approval' | 'invite';
  startsAt: Date | null;
  priceCents?: number | null;
  priceCurrency?: string | null;
};

/** Published courses as cards: cover, category and language, title (the card's link), summary, how to join. */
export async function CourseGrid({ tenant, rows, headingLevel = 2 }: { tenant: TenantRef; rows: CatalogueRow[]; headingLevel?: 2 | 3 }) {
  const [t, format, locale] = await Promise.all([getTranslations('catalogue'), getFormatter(), getLocale()]);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul className="mt-6 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
      {rows.map((c) => (
        <li
          key={c.id}
          data-testid="course-card"
          className="group relative flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm transition hover:-translate-y-0.5 hover:shadow-md"
        >
          <CourseCover url={c.coverKey ? fileUrl(tenant, c.coverKey, { filename: 'cover', disposition: 'inline' }) : null} title={c.title} />
          <div className="flex flex-1 flex-col p-5">
            <div className="flex flex-wrap items-center gap-2 text-xs font-medium">
              {c.category && <span className="rounded-full bg-slate-100 px-2.5 py-1 text-slate-700">{c.category}</span>}
              <span className="inline-flex items-center gap-1 rounded-full border border-slate-200 px-2.5 py-1 text-slate-700">
                <Icon name="globe" className="size-3.5" />
                <span className="sr-only">{t('languageLabel')}: </span>
                {languageName(locale, c.language)}
              </span>
            </div>
            <Heading className="mt-3 text-lg font-semibold leading-snug text-slate-900">
              <Link href={`/courses/${c.slug}`} className="rounded-sm after:absolute after:inset-0 group-hover:underline">
                {c.title}
              </Link>
            </Heading>
            {c.summary && <p className="mt-1 line-clamp-3 text-sm text-slate-600">{c.summary}</p>}
            <p className="mt-auto flex flex-wrap gap-x-4 gap-y-1 pt-4 text-xs text-slate-600">
              <span className="inline-flex items-center gap-1">
                <Icon name={c.enrolmentMode === 'open' ? 'users' : c.enrolmentMode === 'approval' ? 'clock' : 'lock'} className="size-3.5" />
                {t(`mode.${c.enrolmentMode}`)}
              </span>
              {c.startsAt && (
                <span className="inline-flex items-center gap-1">
                  <Icon name="calendar" className="size-3.5" />
                  {t('starts', { date: formatDay(format, c.startsAt) })}
                </span>
              )}
              {c.priceCents != null && c.priceCurrency && (
                <span className="ml-auto text-sm font-semibold text-slate-900" data-testid="card-price">
                  {format.number(c.priceCents / 100, { style: 'currency', currency: c.priceCurrency.toUpperCase() })}
                </span>
              )}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
