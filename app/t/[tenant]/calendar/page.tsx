import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { DueByDay } from '@/components/calendar/due-by-day';
import { FeedPanel } from '@/components/calendar/feed-panel';
import { formatMoment } from '@/components/learn/format';
import { buttonClass } from '@/components/ui/button';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { calendarView, RECENT_DAYS } from '@/lib/calendar/due-items';
import { feedStatus } from '@/lib/calendar/feeds';
import { createFeedAction, revokeFeedAction } from './actions';

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('calendar'))('title') };
}

/** The member's due dates (recently past, then upcoming, by day) and their private calendar feed. */
export default async function CalendarPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant);
  const after = (await searchParams).after;
  const now = new Date();
  const [view, feed] = await withMember(ctx, (tx) => Promise.all([calendarView(tx, ctx, { cursor: typeof after === 'string' ? after : null, now }), feedStatus(tx, ctx)]));
  const [t, format] = await Promise.all([getTranslations('calendar'), getFormatter()]);
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-6 py-10">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-2 text-slate-600">{t('lede')}</p>
      </div>

      {view.firstPage && view.recent.length > 0 && (
        <section aria-labelledby="recent-title" className="space-y-3">
          <h2 id="recent-title" className="text-xl font-semibold">
            {t('recentTitle', { days: RECENT_DAYS })}
          </h2>
          <DueByDay items={view.recent} now={now} />
        </section>
      )}

      <section aria-labelledby="upcoming-title" className="space-y-3">
        <h2 id="upcoming-title" className="text-xl font-semibold">
          {t('upcomingTitle')}
        </h2>
        {view.upcoming.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">{view.firstPage ? t('upcomingEmpty') : t('noMore')}</p>
        ) : (
          <DueByDay items={view.upcoming} now={now} />
        )}
        <nav aria-label={t('pages')} className="flex flex-wrap justify-between gap-3">
          {!view.firstPage && (
            <Link href="/calendar" className={buttonClass('secondary')}>
              {t('first')}
            </Link>
          )}
          {view.nextCursor && (
            <Link href={`/calendar?after=${encodeURIComponent(view.nextCursor)}`} className={buttonClass('secondary', 'ml-auto')} rel="next">
              {t('later')}
            </Link>
          )}
        </nav>
      </section>

      <section aria-labelledby="feed-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="feed-title" className="text-lg font-semibold text-slate-900">
          {t('feed.title')}
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">{t('feed.lede')}</p>
        <FeedPanel
          status={feed ? { created: formatMoment(format, feed.createdAt), lastUsed: feed.lastUsedAt ? formatMoment(format, feed.lastUsedAt) : null } : null}
          createAction={createFeedAction}
          revokeAction={revokeFeedAction}
        />
      </section>
    </main>
  );
}
