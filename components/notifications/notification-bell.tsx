'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useNow, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { BADGE_MAX, COUNT_POLL_MS, fetchFeed, fetchUnread, markRead, notificationKeys, type Feed, type Notice } from './api';

function BellIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/**
 * The header's bell: the member's unread count (polled every 30 s and when the window regains focus; the
 * count query is one short index scan), and a panel with the newest notices, each openable and markable
 * as read, plus "mark all as read". Escape or a click outside closes the panel.
 */
export function NotificationBell() {
  const t = useTranslations('notifications.bell');
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const count = useQuery({
    queryKey: notificationKeys.count,
    queryFn: fetchUnread,
    refetchInterval: COUNT_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 5_000,
  });
  const feed = useQuery({ queryKey: notificationKeys.feed, queryFn: fetchFeed, enabled: open, staleTime: 0 });

  // The feed carries the count too: keep the badge in step with what the panel shows.
  useEffect(() => {
    if (feed.data) queryClient.setQueryData(notificationKeys.count, { unread: feed.data.unread });
  }, [feed.data, queryClient]);

  const mark = useMutation({
    mutationFn: markRead,
    onMutate: (input) => {
      // Show it read at once; the answer brings the true count.
      queryClient.setQueryData<Feed>(notificationKeys.feed, (old) =>
        old ? { ...old, items: old.items.map((n) => ('all' in input || n.id === input.id ? { ...n, read: true } : n)) } : old,
      );
    },
    onSuccess: ({ unread }) => {
      queryClient.setQueryData(notificationKeys.count, { unread });
      queryClient.setQueryData<Feed>(notificationKeys.feed, (old) => (old ? { ...old, unread } : old));
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });

  useEffect(() => {
    if (!open) return;
    heading.current?.focus();
    const onPointer = (e: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const unread = count.data?.unread ?? 0;
  const label = unread > BADGE_MAX ? t('labelMany') : unread > 0 ? t('labelUnread', { count: unread }) : t('label');
  const items = feed.data?.items ?? [];

  const follow = (n: Notice) => {
    if (!n.read) mark.mutate({ id: n.id });
    setOpen(false);
  };

  return (
    <div ref={wrapper} className="relative">
      <button
        ref={button}
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative flex size-10 items-center justify-center rounded-md hover:bg-black/10"
        data-testid="notification-bell"
      >
        <BellIcon />
        {unread > 0 && (
          <span aria-hidden data-testid="notification-count" className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 font-semibold text-white">
            {unread > BADGE_MAX ? `${BADGE_MAX}+` : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          id={panelId}
          role="dialog"
          aria-labelledby={`${panelId}-title`}
          className="absolute right-0 z-50 mt-2 w-96 max-w-[calc(100vw-1.5rem)] rounded-lg border border-slate-200 bg-white text-slate-900 shadow-lg"
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
            <h2 ref={heading} tabIndex={-1} id={`${panelId}-title`} className="font-semibold focus:outline-none">
              {t('title')}
            </h2>
            <button
              type="button"
              onClick={() => mark.mutate({ all: true })}
              disabled={unread === 0 || mark.isPending}
              className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50"
            >
              {t('markAllRead')}
            </button>
          </div>
          <div className="max-h-[60vh] overflow-y-auto">
            {feed.isPending ? (
              <p className="px-4 py-6 text-sm text-slate-600">{t('loading')}</p>
            ) : feed.isError ? (
              <p role="alert" className="px-4 py-6 text-sm text-red-700">
                {t('error')}
              </p>
            ) : items.length === 0 ? (
              <p className="px-4 py-6 text-sm text-slate-600">{t('empty')}</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {items.map((n) => (
                  <li key={n.id} className={`flex gap-3 px-4 py-3 ${n.read ? '' : 'bg-slate-50'}`} data-testid="bell-notice" data-read={n.read}>
                    <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${n.read ? 'bg-transparent' : 'bg-brand'}`} />
                    <div className="min-w-0 flex-1">
                      <p className="text-sm font-medium">
                        {!n.read && <span className="sr-only">{t('unreadBadge')}: </span>}
                        {n.link ? (
                          <Link href={n.link} onClick={() => follow(n)} className="underline-offset-2 hover:underline">
                            {n.title}
                          </Link>
                        ) : (
                          n.title
                        )}
                      </p>
                      {n.body && <p className="mt-0.5 line-clamp-2 text-sm text-slate-600">{n.body}</p>}
                      <p className="mt-1 text-xs text-slate-600">
                        <time dateTime={n.createdAt} title={format.dateTime(new Date(n.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}>
                          {format.relativeTime(new Date(n.createdAt), now)}
                        </time>
                      </p>
                    </div>
                    {!n.read && (
                      <button
                        type="button"
                        onClick={() => mark.mutate({ id: n.id })}
                        className="h-fit shrink-0 rounded-md px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-200"
                      >
                        {t.rich('markReadNamed', { title: n.title, hidden: (chunks) => <span className="sr-only">{chunks}</span> })}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="flex justify-between gap-2 border-t border-slate-200 px-4 py-2 text-sm">
            <Link href="/notifications" onClick={() => setOpen(false)} className="rounded-md px-2 py-1 font-medium text-slate-800 hover:bg-slate-100">
              {t('seeAll')}
            </Link>
            <Link href="/account/notifications" onClick={() => setOpen(false)} className="rounded-md px-2 py-1 font-medium text-slate-800 hover:bg-slate-100">
              {t('settings')}
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
