import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { KindIcon } from '@/components/learn/icons';
import { TIME_ZONE } from '@/components/learn/format';
import type { DueItem } from '@/lib/calendar/due-items';

/** One due item: kind, title (a link to it in the course), course, and when it is due. */
export async function DueItemRow({ item, now, show = 'moment' }: { item: DueItem; now: Date; show?: 'moment' | 'time' }) {
  const [t, format] = await Promise.all([getTranslations('calendar'), getFormatter()]);
  const when =
    show === 'time'
      ? format.dateTime(item.dueAt, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE, timeZoneName: 'short' })
      : format.dateTime(item.dueAt, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE, timeZoneName: 'short' });
  const past = item.dueAt <= now;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3" data-testid="due-item">
      <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-700">
        <KindIcon kind={item.kind} className="size-4" />
      </span>
      <div className="min-w-0 flex-1">
        <Link href={item.href} className="rounded font-medium text-slate-900 hover:underline">
          {item.title}
        </Link>
        <p className="text-sm text-slate-600">
          <span className="sr-only">{t(`kinds.${item.kind}`)} · </span>
          {item.courseTitle}
        </p>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-1 text-sm">
        <time dateTime={item.dueAt.toISOString()} className="font-medium text-slate-800">
          {t('due', { when })}
        </time>
        {item.done ? (
          <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900">{t('done')}</span>
        ) : past ? (
          <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-900">{t('missed')}</span>
        ) : (
          <span className="text-xs text-slate-600">{format.relativeTime(item.dueAt, now)}</span>
        )}
      </div>
    </div>
  );
}
