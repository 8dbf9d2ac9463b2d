import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { DeliveryLog } from '@/components/webhooks/delivery-log';
import { EndpointControls } from '@/components/webhooks/endpoint-controls';
import { EndpointForm } from '@/components/webhooks/endpoint-form';
import { EndpointStatusBadge } from '@/components/webhooks/endpoint-status';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { NotFoundError } from '@/lib/errors';
import { PageParam } from '@/lib/schemas';
import { WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/events';
import { getEndpoint, listDeliveries } from '@/lib/webhooks/service';
import { deleteEndpointAction, replayDeliveryAction, rotateSecretAction, sendTestEventAction, setEndpointEnabledAction, updateEndpointAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('webhooks'))('detailTitle') };
}

type Props = { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<{ page?: string }> };

/** One endpoint: its state, test / rotate / disable / delete, its settings and its delivery log. */
export default async function WebhookEndpointPage({ params, searchParams }: Props) {
  const { tenant, id } = await params;
  const ctx = await requireMember(tenant, { role: 'admin' });
  const page = PageParam.parse((await searchParams).page);
  const [t, format] = await Promise.all([getTranslations('webhooks'), getFormatter()]);
  const data = await withMember(ctx, async (tx) => ({ endpoint: await getEndpoint(tx, ctx, id), log: await listDeliveries(tx, ctx, id, { page }) })).catch((e: unknown) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const { endpoint, log } = data;
  const since = endpoint.failingSince ? format.dateTime(endpoint.failingSince, { dateStyle: 'medium', timeStyle: 'short' }) : '';
  return (
    <main className="space-y-6">
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link href="/admin/webhooks" className="text-slate-600 hover:text-slate-900 hover:underline">
          ← {t('back')}
        </Link>
      </nav>
      <div className="space-y-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-bold">{endpoint.url}</h1>
          <EndpointStatusBadge endpoint={endpoint} />
        </div>
        {endpoint.description && <p className="text-sm text-slate-600">{endpoint.description}</p>}
      </div>
      {!endpoint.enabled && <Alert tone="warning">{endpoint.disabledReason === 'failing' ? t('notice.disabledFailing', { date: since }) : t('notice.disabled')}</Alert>}
      {endpoint.enabled && endpoint.failingSince && <Alert tone="warning">{t('notice.failing', { date: since })}</Alert>}
      <Card title={t('manageTitle')} description={t('manageLede')}>
        <EndpointControls
          endpoint={{ id: endpoint.id, url: endpoint.url, enabled: endpoint.enabled }}
          actions={{ test: sendTestEventAction, rotate: rotateSecretAction, setEnabled: setEndpointEnabledAction, remove: deleteEndpointAction }}
        />
      </Card>
      <Card title={t('log.title')} description={t('log.lede')}>
        <DeliveryLog log={log} replay={replayDeliveryAction} />
      </Card>
      <Card title={t('editTitle')}>
        <EndpointForm action={updateEndpointAction} eventTypes={WEBHOOK_EVENT_TYPES} endpoint={endpoint} />
      </Card>
    </main>
  );
}
