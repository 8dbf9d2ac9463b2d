import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { MarkReadForm } from '@/components/notifications/mark-read-form';
import { buttonClass } from '@/components/ui/button';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listNotices, unreadCount, UNREAD_COUNT_CAP } from '@/lib/notifications/inbox';
import { markAllNoticesReadAction, markNoticeReadAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('notifications.page'))('title') };
}

/** Every notice of the member, newest first, 20 at a time (keyset: `?before=<id of the last one shown>`). */
export default async function NotificationsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ before?: string }> }) {
  const ctx = await requireMember((await params).tenant);
  const before = (await searchParams).before ?? null;
  const [t, format, now] = await Promise.all([getTranslations('notifications.page'), getFormatter(), getNow()]);
  const { page, unread } = await withMember(ctx, async (tx) => ({ page: await listNotices(tx, ctx, { before }), unread: await unreadCount(tx, ctx) }));
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-6 py-10">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-2 text-slate-600">{t('lede')}</p>
          <p className="mt-1 text-sm text-slate-700" data-testid="unread-summary">
            {unread >= UNREAD_COUNT_CAP ? t('unreadSummaryMany') : t('unreadSummary', { count: unread })}
          </p>
        </div>
        <div className="flex flex-col items-end gap-2">
          {unread > 0 && <MarkReadForm action={markAllNoticesReadAction} label={t('markAllRead')} pendingLabel={t('markingAll')} variant="primary" />}
          <Link href="/account/notifications" className="text-sm font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900">
            {t('settings')}
          </Link>
        </div>
      </div>

      {page.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">{t('empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
          {page.items.map((n) => (
            <li key={n.id} className={`flex gap-4 px-5 py-4 ${n.read ? '' : 'bg-slate-50'}`} data-testid="notice" data-read={n.read}>
              <span aria-hidden className={`mt-2 size-2.5 shrink-0 rounded-full ${n.read ? 'bg-slate-200' : 'bg-brand'}`} />
              <div className="min-w-0 flex-1">
                <h2 className="font-semibold text-slate-900">
                  {!n.read && <span className="mr-2 rounded bg-slate-800 px-1.5 py-0.5 align-middle text-xs font-medium text-white">{t('unread')}</span>}
                  {n.link ? (
                    <Link href={n.link} className="underline-offset-2 hover:underline">
                      {n.title}
                    </Link>
                  ) : (
                    n.title
                  )}
                </h2>
                {n.body && <p className="mt-1 text-sm whitespace-pre-line text-slate-700">{n.body}</p>}
                <p className="mt-1 text-xs text-slate-600">
                  <time dateTime={n.createdAt}>
                    {format.dateTime(new Date(n.createdAt), { dateStyle: 'medium', timeStyle: 'short' })} · {format.relativeTime(new Date(n.createdAt), now)}
                  </time>
                </p>
              </div>
              {!n.read && <MarkReadForm action={markNoticeReadAction} id={n.id} label={t.rich('markReadNamed', { title: n.title, hidden: (chunks) => <span className="sr-only">{chunks}</span> })} pendingLabel={t('marking')} />}
            </li>
          ))}
        </ul>
      )}

      {(before || page.nextCursor) && (
        <nav aria-label={t('pagesLabel')} className="flex justify-between gap-2">
          {before ? (
            <Link href="/notifications" className={buttonClass('secondary')}>
              {t('newest')}
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor && (
            <Link href={`/notifications?before=${page.nextCursor}`} rel="next" className={buttonClass('secondary')}>
              {t('older')}
            </Link>
          )}
        </nav>
      )}
    </main>
  );
}
