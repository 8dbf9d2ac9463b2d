import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CopyField } from '@/components/ui/copy-field';
import { TokenForm } from '@/components/scim/token-form';
import { Card } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { Pagination } from '@/components/ui/pagination';
import { SaveOnChangeSelect } from '@/components/ui/save-on-change-select';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listGroupsForAdmin, mappableCourses, MAPPABLE_ROLES, provisioningActivity } from '@/lib/scim/mapping';
import { scimBaseUrl } from '@/lib/scim/resources';
import { listScimTokens } from '@/lib/scim/tokens';
import { PageParam } from '@/lib/schemas';
import { createTokenAction, mapGroupAction, revokeTokenAction } from './actions';

export const metadata: Metadata = { title: 'Provisioning' };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> };


export default async function ProvisioningPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const page = PageParam.parse((await searchParams).page);
  const [t, tr, format] = await Promise.all([getTranslations('provisioning'), getTranslations('home.roles'), getFormatter()]);
  const { tokens, groups, courses, activity } = await withMember(ctx, async (tx) => ({
    tokens: await listScimTokens(tx, ctx),
    groups: await listGroupsForAdmin(tx, ctx, { page }),
    courses: await mappableCourses(tx, ctx),
    activity: await provisioningActivity(tx, ctx),
  }));
  const when = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' });
  const targetOptions = [
    { value: 'none', label: t('notMapped') },
    ...MAPPABLE_ROLES.map((r) => ({ value: `role:${r}`, label: t('roleOption', { role: tr(r) }) })),
    ...courses.map((c) => ({ value: `course:${c.id}`, label: t('courseOption', { title: c.title }) })),
  ];

  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-700">{t('lede', { org: ctx.tenant.name })}</p>
      </div>

      <Card title={t('connectTitle')} description={t('connectLede')}>
        <CopyField id="scim-base-url" label={t('baseUrl')} value={scimBaseUrl(ctx.tenant.slug)} hint={t('userNameHint')} testId="scim-base-url" />
      </Card>

      <Card title={t('tokensTitle')} description={t('tokensLede')}>
        <TokenForm action={createTokenAction} />
        <DataTable
          className="mt-6"
          caption={t('tokensTitle')}
          empty={tokens.length === 0}
          emptyText={t('noTokens')}
          columns={[
            { label: t('colToken') },
            { label: t('colCreated') },
            { label: t('colLastUsed') },
            { label: t('colStatus') },
            { label: t('colActions'), hidden: true },
          ]}
        >
          {tokens.map((k) => (
            <tr key={k.id} data-testid="scim-token-row">
              <td className="py-2 pr-4">
                <div className="font-medium">{k.name}</div>
                <div className="font-mono text-xs text-slate-600">{k.prefix}…</div>
              </td>
              <td className="py-2 pr-4 text-slate-700">
                <time dateTime={k.createdAt.toISOString()}>{when(k.createdAt)}</time>
                {k.createdBy && <div className="text-xs text-slate-600">{t('createdBy', { name: k.createdBy })}</div>}
              </td>
              <td className="py-2 pr-4 text-slate-700">{k.lastUsedAt ? format.relativeTime(k.lastUsedAt) : t('neverUsed')}</td>
              <td className="py-2 pr-4">
                {k.revokedAt ? (
                  <span className="text-slate-600">{t('revoked', { date: format.dateTime(k.revokedAt, { dateStyle: 'medium' }) })}</span>
                ) : (
                  <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900">{t('active')}</span>
                )}
              </td>
              <td className="py-2 text-right">
                {!k.revokedAt && (
                  <ConfirmForm
                    action={revokeTokenAction}
                    hidden={{ tokenId: k.id }}
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
          ))}
        </DataTable>
      </Card>

      <Card title={t('groupsTitle')} description={t('groupsLede')}>
        {groups.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('noGroups')}</p>
        ) : (
          <>
            <DataTable caption={t('groupsTitle')} columns={[{ label: t('colGroup') }, { label: t('colMembers') }, { label: t('colMapsTo') }]}>
              {groups.rows.map((g) => (
                <tr key={g.id} data-testid="scim-group-row">
                  <td className="py-2 pr-4 font-medium">{g.displayName}</td>
                  <td className="py-2 pr-4 text-slate-700">{format.number(g.members)}</td>
                  <td className="py-2">
                    <SaveOnChangeSelect
                      action={mapGroupAction}
                      hidden={{ groupId: g.id }}
                      name="target"
                      value={g.role ? `role:${g.role}` : g.courseId ? `course:${g.courseId}` : 'none'}
                      options={
                        g.courseId && !courses.some((c) => c.id === g.courseId)
                          ? [...targetOptions, { value: `course:${g.courseId}`, label: t('courseOption', { title: g.courseTitle ?? '—' }) }]
                          : targetOptions
                      }
                      label={t('mapFor', { name: g.displayName })}
                    />
                  </td>
                </tr>
              ))}
            </DataTable>
            <p className="mt-3 text-xs text-slate-600">{t('mapNote')}</p>
            <Pagination page={groups.page} pageSize={groups.pageSize} total={groups.total} params={{}} />
          </>
        )}
      </Card>

      <Card title={t('activityTitle')} description={t('activityLede')}>
        <DataTable
          caption={t('activityTitle')}
          empty={activity.length === 0}
          emptyText={t('noActivity')}
          bodyClassName="align-top"
          columns={[
            { label: t('colWhen') },
            { label: t('colWho') },
            { label: t('colWhat') },
          ]}
        >
          {activity.map((a) => (
            <tr key={a.id} data-testid="scim-activity-row">
              <td className="py-2 pr-4 whitespace-nowrap text-slate-700">
                <time dateTime={a.createdAt.toISOString()}>{when(a.createdAt)}</time>
              </td>
              <td className="py-2 pr-4 font-mono text-xs">{a.actorLabel}</td>
              <td className="py-2">
                <span className="font-mono text-xs">{a.action}</span>
                {a.targetLabel && <div className="text-slate-700">{a.targetLabel}</div>}
              </td>
            </tr>
          ))}
        </DataTable>
      </Card>
    </main>
  );
}
