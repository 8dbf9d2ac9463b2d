import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Icon } from '@/components/learn/icons';
import type { DueItem } from '@/lib/calendar/due-items';
import { DueItemRow } from './due-item-row';

/** The learner home's "Due soon": what is due in the next 7 days and not yet handed in, soonest first. */
export async function DueSoon({ items, now }: { items: DueItem[]; now: Date }) {
  const t = await getTranslations('calendar.dueSoon');
  return (
    <section aria-labelledby="due-soon" data-testid="due-soon">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 id="due-soon" className="text-xl font-semibold">
            {t('title')}
          </h2>
          <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
        </div>
        <Link href="/calendar" className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-slate-700 underline-offset-2 hover:underline">
          <Icon name="calendar" className="size-4" />
          {t('openCalendar')}
        </Link>
      </div>
      {items.length === 0 ? (
        <p className="mt-4 rounded-xl border border-slate-200 bg-white p-6 text-slate-600">{t('empty')}</p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
          {items.map((item) => (
            <li key={item.itemId}>
              <DueItemRow item={item} now={now} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
