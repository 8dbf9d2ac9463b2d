import { getFormatter } from 'next-intl/server';
import { TIME_ZONE } from '@/components/learn/format';
import { groupByDay, type DueItem } from '@/lib/calendar/due-items';
import { DueItemRow } from './due-item-row';

/** Due items under one heading per (UTC) day. */
export async function DueByDay({ items, now, headingLevel = 3 }: { items: DueItem[]; now: Date; headingLevel?: 3 | 4 }) {
  const format = await getFormatter();
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="space-y-4">
      {groupByDay(items).map((g) => (
        <section key={g.day} aria-labelledby={`day-${g.day}`} className="overflow-hidden rounded-xl border border-slate-200 bg-white" data-testid="due-day">
          <H id={`day-${g.day}`} className="border-b border-slate-200 bg-slate-50 px-5 py-2 text-sm font-semibold text-slate-800">
            <time dateTime={g.day}>{format.dateTime(new Date(`${g.day}T00:00:00Z`), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: TIME_ZONE })}</time>
          </H>
          <ul className="divide-y divide-slate-100">
            {g.items.map((item) => (
              <li key={item.itemId}>
                <DueItemRow item={item} now={now} show="time" />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
