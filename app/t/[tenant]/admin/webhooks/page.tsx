import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { EndpointForm } from '@/components/webhooks/endpoint-form';
import { EndpointStatusBadge } from '@/components/webhooks/endpoint-status';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/events';
import { listEndpoints, MAX_ENDPOINTS } from '@/lib/webhooks/service';
import { privateAddressesAllowed } from '@/lib/webhooks/ssrf';
import { createEndpointAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('webhooks'))('title') };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ deleted?: string }> };

/** Org admins: the organisation's webhook endpoints, and a new one. */
export default async function WebhooksPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const [t, query] = await Promise.all([getTranslations('webhooks'), searchParams]);
  const endpoints = await withMember(ctx, (tx) => listEndpoints(tx, ctx));
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
      </div>
      {query.deleted && <Alert tone="success">{t('deleted')}</Alert>}
      {privateAddressesAllowed() && <Alert tone="warning">{t('privateAllowed')}</Alert>}
      <Card title={t('listTitle', { count: endpoints.length })}>
        <DataTable
          caption={t('listCaption')}
          empty={endpoints.length === 0}
          emptyText={t('empty')}
          bodyClassName="align-top"
          columns={[
            { label: t('colUrl') },
            { label: t('colEvents') },
            { label: t('colStatus') },
          ]}
        >
          {endpoints.map((e) => (
            <tr key={e.id} data-testid="webhook-endpoint">
              <td className="max-w-md py-2 pr-4">
                <Link href={`/admin/webhooks/${e.id}`} className="break-all font-medium text-slate-900 underline-offset-2 hover:underline">
                  {e.url}
                </Link>
                {e.description && <div className="text-slate-600">{e.description}</div>}
              </td>
              <td className="py-2 pr-4">
                <ul className="flex flex-wrap gap-1">
                  {e.eventTypes.map((type) => (
                    <li key={type} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                      {type}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="py-2">
                <EndpointStatusBadge endpoint={e} />
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>
      <Card title={t('addTitle')} description={t('addLede')}>
        {endpoints.length >= MAX_ENDPOINTS ? <Alert>{t('limitReached', { max: MAX_ENDPOINTS })}</Alert> : <EndpointForm action={createEndpointAction} eventTypes={WEBHOOK_EVENT_TYPES} />}
      </Card>
    </main>
  );
}
