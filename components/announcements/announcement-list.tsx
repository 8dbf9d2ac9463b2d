import { getFormatter, getTranslations } from 'next-intl/server';
import { formatMoment } from '@/components/learn/format';
import { PROSE } from '@/components/learn/prose';
import type { ActionState } from '@/lib/auth/action-state';
import type { AnnouncementRow } from '@/lib/announcements/service';
import { DeleteAnnouncement } from './delete-announcement';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * A course's announcements, newest first. Bodies are sanitised rich text (on write and again on read).
 * Staff also see delivery ("Sending…" until the fan-out has finished, then the learner count) and delete.
 */
export async function AnnouncementList({ rows, headingLevel = 2, deleteAction, emptyText }: { rows: AnnouncementRow[]; headingLevel?: 2 | 3; deleteAction?: Action; emptyText: string }) {
  const [t, format] = await Promise.all([getTranslations('announcements'), getFormatter()]);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  if (!rows.length) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
        <p className="font-medium text-slate-900">{emptyText}</p>
      </div>
    );
  }
  return (
    <ol className="space-y-4">
      {rows.map((a) => (
        <li key={a.id}>
          <article aria-labelledby={`announcement-${a.id}`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="announcement">
            <header className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <H id={`announcement-${a.id}`} className="text-lg font-semibold text-slate-900">
                  {a.title}
                </H>
                <p className="mt-0.5 text-sm text-slate-600">
                  {a.authorName ? t('postedBy', { name: a.authorName, date: formatMoment(format, a.createdAt) }) : t('postedOn', { date: formatMoment(format, a.createdAt) })}
                </p>
              </div>
              {deleteAction && (
                <div className="flex shrink-0 items-center gap-2">
                  {a.fannedOutAt ? (
                    <span className="rounded-full bg-green-100 px-2.5 py-1 text-xs font-medium text-green-900" data-testid="announcement-delivery">
                      {t('sent', { count: a.recipients ?? 0 })}
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-1.5 rounded-full bg-amber-100 px-2.5 py-1 text-xs font-medium text-amber-900" data-testid="announcement-delivery">
                      <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
                      {t('sending')}
                    </span>
                  )}
                  <DeleteAnnouncement
                    action={deleteAction}
                    announcementId={a.id}
                    labels={{
                      trigger: t('delete.trigger'),
                      triggerLabel: t('delete.triggerLabel', { title: a.title }),
                      title: t('delete.title'),
                      body: t('delete.body', { title: a.title }),
                      confirm: t('delete.confirm'),
                      pending: t('delete.pending'),
                    }}
                  />
                </div>
              )}
            </header>
            <div className={`mt-3 ${PROSE}`} dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
          </article>
        </li>
      ))}
    </ol>
  );
}
