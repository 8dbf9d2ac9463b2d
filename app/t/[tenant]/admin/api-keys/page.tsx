import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CreateKeyForm } from '@/components/api/create-key-form';
import { Card } from '@/components/ui/card';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { DataTable } from '@/components/ui/data-table';
import { API_RESOURCES, listApiKeys, WRITABLE_RESOURCES } from '@/lib/api/keys';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { createApiKeyAction, revokeApiKeyAction } from './actions';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ params }: { params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const [t, format, keys] = await Promise.all([getTranslations('apiKeys'), getFormatter(), withMember(ctx, (tx) => listApiKeys(tx, ctx))]);
  const now = new Date();
  const when = (d: Date | null, fallback: string) => (d ? format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' }) : fallback);
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {t('lede')}{' '}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's HTML page, not an app page */}
          <a href="/api/v1/docs" className="font-medium underline">
            {t('docs')}
          </a>
        </p>
      </div>
      <Card title={t('createTitle')}>
        <CreateKeyForm action={createApiKeyAction} resources={API_RESOURCES.map((id) => ({ id, writable: WRITABLE_RESOURCES.includes(id) }))} />
      </Card>
      <Card title={t('listTitle')}>
        <DataTable
          caption={t('listTitle')}
          empty={keys.length === 0}
          emptyText={t('empty')}
          columns={[
            { label: t('colName') },
            { label: t('colKey') },
            { label: t('colScopes') },
            { label: t('colOwner') },
            { label: t('colLastUsed') },
            { label: t('colExpires') },
            { label: t('colStatus') },
            { label: t('revoke'), hidden: true },
          ]}
        >
          {keys.map((k) => {
            const status = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active';
            return (
              <tr key={k.id} data-testid="api-key-row">
                <td className="py-2 pr-4 font-medium">{k.name}</td>
                <td className="py-2 pr-4 font-mono text-xs">{k.prefix}…</td>
                <td className="py-2 pr-4 text-xs">{k.scopes.join(', ')}</td>
                <td className="py-2 pr-4">{k.owner}</td>
                <td className="py-2 pr-4">{when(k.lastUsedAt, t('notUsed'))}</td>
                <td className="py-2 pr-4">{when(k.expiresAt, t('never'))}</td>
                <td className="py-2 pr-4">{t(status)}</td>
                <td className="py-2">
                  {status !== 'revoked' && (
                    <ConfirmForm
                      action={revokeApiKeyAction}
                      hidden={{ keyId: k.id }}
                      trigger={t('revoke')}
                      triggerLabel={t('revokeLabel', { name: k.name })}
                      title={t('revokeTitle', { name: k.name })}
                      body={t('revokeBody')}
                      confirmLabel={t('revoke')}
                      pendingLabel={t('revoking')}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </Card>
    </main>
  );
}
