import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { PageParam } from '@/lib/schemas';
import { Alert } from '@/components/ui/alert';
import { MailHtmlPreview } from '@/components/notifications/mail-preview';
import { devMailboxEnabled, listMailbox, smtpConfigured } from '@/lib/mail/service';

export const metadata: Metadata = { title: 'Mailbox' };

const STATUS_STYLE: Record<string, string> = {
  captured: 'bg-slate-100 text-slate-800',
  queued: 'bg-amber-100 text-amber-900',
  sent: 'bg-green-100 text-green-900',
  failed: 'bg-red-100 text-red-900',
};

/**
 * The development mailbox: mail Lectern would have sent (or, with SMTP, sent), with its delivery state.
 * The HTML part is shown on request in a sandboxed frame (MailHtmlPreview).
 */
export default async function MailboxPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const page = PageParam.parse((await searchParams).page);
  const [t, tm, format] = await Promise.all([getTranslations('mailbox'), getTranslations('mail.mailbox'), getFormatter()]);
  if (!devMailboxEnabled()) {
    return (
      <main className="space-y-6">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <Alert tone="info">{t('disabled')}</Alert>
      </main>
    );
  }
  const mail = await withMember(ctx, (tx) => listMailbox(tx, ctx, { page }));
  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <Card description={smtpConfigured() ? tm('smtpLede') : t('lede')}>
        {mail.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {mail.rows.map((m) => (
              <li key={m.id} className="py-2" data-testid="mail-item">
                <details>
                  <summary className="cursor-pointer text-sm">
                    <span className="font-medium">{m.subject}</span> — {t('to', { to: m.to })} · {format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}{' '}
                    <span className={`ml-1 rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[m.status] ?? ''}`} data-testid="mail-status">
                      {tm(`status.${m.status}`)}
                    </span>
                  </summary>
                  {(m.attempts > 0 || m.lastError) && (
                    <p className="mt-2 text-xs text-slate-700">
                      {tm('attempts', { count: m.attempts })}
                      {m.lastError && <> · {tm('lastError', { error: m.lastError })}</>}
                    </p>
                  )}
                  <h3 className="mt-3 text-xs font-semibold tracking-wide text-slate-600 uppercase">{tm('textPart')}</h3>
                  <pre className="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-3 font-sans text-sm">{m.text}</pre>
                  {m.html && <MailHtmlPreview html={m.html} subject={m.subject} />}
                </details>
              </li>
            ))}
          </ul>
        )}
        <Pagination page={mail.page} pageSize={mail.pageSize} total={mail.total} params={{}} />
      </Card>
    </main>
  );
}
