import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { listAudit } from '@/lib/audit/service';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { PageParam } from '@/lib/schemas';

export const metadata: Metadata = { title: 'Audit log' };

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

export default async function AuditPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const page = PageParam.parse((await searchParams).page);
  const [t, format] = await Promise.all([getTranslations('audit'), getFormatter()]);
  const log = await withMember(ctx, (tx) => listAudit(tx, ctx, { page }));
  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <Card description={t('lede')}>
        {log.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('title')}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('when')}</th>
                  <th scope="col" className="py-2 pr-4">{t('who')}</th>
                  <th scope="col" className="py-2 pr-4">{t('what')}</th>
                  <th scope="col" className="py-2">{t('change')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {log.rows.map((r) => (
                  <tr key={r.id} data-testid="audit-row">
                    <td className="py-2 pr-4 whitespace-nowrap text-slate-600">
                      <time dateTime={r.createdAt.toISOString()}>{format.dateTime(r.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</time>
                    </td>
                    <td className="py-2 pr-4">{r.actorLabel}</td>
                    <td className="py-2 pr-4">
                      <span className="font-mono text-xs">{r.action}</span>
                      {r.targetLabel && <div className="text-slate-600">{r.targetLabel}</div>}
                    </td>
                    <td className="py-2">
                      <div className="text-slate-600">{show(r.before)}</div>
                      <div>→ {show(r.after)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={log.page} pageSize={log.pageSize} total={log.total} params={{}} />
      </Card>
    </main>
  );
}
