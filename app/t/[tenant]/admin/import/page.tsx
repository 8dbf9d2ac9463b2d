import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ImportStatusBadge } from '@/components/imports/import-status-badge';
import { ImportUpload } from '@/components/imports/import-upload';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from '@/lib/imports/rows';
import { listImports } from '@/lib/imports/service';

export const metadata: Metadata = { title: 'Import from CSV' };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> };

/** Bulk imports of people and enrolments: upload (the dry run opens the preview), and the recent imports. */
export default async function ImportPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const { page } = await searchParams;
  const [t, format] = await Promise.all([getTranslations('imports'), getFormatter()]);
  const list = await withMember(ctx, (tx) => listImports(tx, ctx, { page }));
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t('lede')}</p>
      </div>
      <Card title={t('uploadTitle')}>
        <ImportUpload maxBytes={IMPORT_MAX_BYTES} maxRows={IMPORT_MAX_ROWS} />
      </Card>
      <Card title={t('recentTitle')}>
        {list.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('recentEmpty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('recentTitle')}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('colFile')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colStatus')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colResult')}</th>
                  <th scope="col" className="py-2">{t('colWhen')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.rows.map((r) => (
                  <tr key={r.id} data-testid="import-row">
                    <td className="py-2 pr-4">
                      <Link href={`/admin/import/${r.id}`} className="font-medium text-slate-900 underline underline-offset-2 hover:no-underline">
                        {r.fileName}
                      </Link>
                      <div className="text-xs text-slate-600">{t(`kinds.${r.kind}`)}</div>
                    </td>
                    <td className="py-2 pr-4">
                      <ImportStatusBadge status={r.status} label={t(`status.${r.status}`)} />
                    </td>
                    <td className="py-2 pr-4 text-slate-700">
                      {r.status === 'checked'
                        ? t('readyRows', { count: r.totalRows })
                        : r.status === 'running'
                          ? t('progressShort', { processed: r.processedRows, total: r.totalRows })
                          : t('resultShort', { created: r.created, updated: r.updated, unchanged: r.unchanged, failed: r.failed })}
                    </td>
                    <td className="py-2 text-slate-600">
                      <time dateTime={r.createdAt.toISOString()}>{format.dateTime(r.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</time>
                      {r.createdByName && <div className="text-xs">{r.createdByName}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />
      </Card>
    </main>
  );
}
