import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { RetryDeadLetter } from '@/components/admin/retry-dead-letter';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listDeadLetters } from '@/lib/jobs/dead-letters';
import { PageParam } from '@/lib/schemas';
import { retryDeadLettersAction } from './actions';

export const metadata: Metadata = { title: 'Background jobs' };

export default async function JobsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string; retried?: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const query = await searchParams;
  const page = PageParam.parse(query.page);
  const retried = typeof query.retried === 'string' && /^\d{1,7}$/.test(query.retried) ? Number(query.retried) : null;
  const [t, format] = await Promise.all([getTranslations('jobs'), getFormatter()]);
  const list = await withMember(ctx, (tx) => listDeadLetters(tx, ctx, { page }));
  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      {retried !== null && (
        <div role="status">
          <Alert tone="success">{t('retried', { n: retried })}</Alert>
        </div>
      )}
      <p className="text-sm text-slate-700">{t('pending', { n: list.pending })}</p>
      <Card title={t('deadLetters')} description={t('deadLettersLede')}>
        {list.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>
        ) : (
          <div className="space-y-4">
            <RetryDeadLetter id="all" count={list.total} action={retryDeadLettersAction} />
            <ul className="divide-y divide-slate-100">
              {list.rows.map((r) => (
                <li key={r.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid="dead-letter">
                  <div className="min-w-0 space-y-1">
                    <p className="font-mono text-sm font-medium">{r.name}</p>
                    <p className="text-xs text-slate-600">
                      <time dateTime={r.createdAt.toISOString()}>{format.dateTime(r.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</time> ·{' '}
                      {t('attempts', { n: r.attempts })}
                    </p>
                    {r.lastError && <p className="whitespace-pre-wrap break-words text-sm text-red-800">{r.lastError}</p>}
                    <details className="text-xs">
                      <summary className="cursor-pointer text-slate-600">{t('payload')}</summary>
                      <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2">{JSON.stringify(r.payload, null, 2)}</pre>
                    </details>
                  </div>
                  <RetryDeadLetter id={r.id} name={r.name} action={retryDeadLettersAction} />
                </li>
              ))}
            </ul>
          </div>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />
      </Card>
    </main>
  );
}
