import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { PageParam } from '@/lib/schemas';
import { Alert } from '@/components/ui/alert';
import { devMailboxEnabled, listMailbox } from '@/lib/mail/service';

export const metadata: Metadata = { title: 'Mailbox' };

/** The development mailbox: mail Lectern would have sent, until an SMTP transport is configured. */
export default async function MailboxPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const page = PageParam.parse((await searchParams).page);
  const [t, format] = await Promise.all([getTranslations('mailbox'), getFormatter()]);
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
      <Card description={t('lede')}>
        {mail.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {mail.rows.map((m) => (
              <li key={m.id} className="py-2" data-testid="mail-item">
                <details>
                  <summary className="cursor-pointer text-sm">
                    <span className="font-medium">{m.subject}</span> — {t('to', { to: m.to })} · {format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                  </summary>
                  <pre className="mt-2 whitespace-pre-wrap rounded bg-slate-50 p-3 font-sans text-sm">{m.text}</pre>
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
