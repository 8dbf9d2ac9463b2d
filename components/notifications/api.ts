/** The notification routes (app/t/[tenant]/notifications/{count,feed,read}) as the browser sees them. */

export type Notice = { id: string; type: string; title: string; body: string; link: string | null; createdAt: string; read: boolean };
export type Feed = { unread: number; items: Notice[] };

export const notificationKeys = {
  all: ['notifications'] as const,
  count: ['notifications', 'count'] as const,
  feed: ['notifications', 'feed'] as const,
};

/** How often the bell asks for its count (and again when the window regains focus). */
export const COUNT_POLL_MS = 30_000;

/** The badge never says more than this (the server counts up to 100). */
export const BADGE_MAX = 99;

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers }, cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.error ?? `HTTP ${res.status}`);
  return body;
}

export const fetchUnread = () => call<{ unread: number }>('/notifications/count');
export const fetchFeed = () => call<Feed>('/notifications/feed');

/** Mark one notice (or all) read; `keepalive` lets the request finish while the browser follows the notice's link. */
export const markRead = (input: { id: string } | { all: true }) => call<{ unread: number }>('/notifications/read', { method: 'POST', body: JSON.stringify(input), keepalive: true });
