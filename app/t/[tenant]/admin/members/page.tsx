import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { InviteForm } from '@/components/admin/invite-form';
import { SaveOnChangeSelect } from '@/components/ui/save-on-change-select';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { listMembers, listPendingInvitations } from '@/lib/members/service';
import { ROLES } from '@/lib/members/roles';
import { withMember } from '@/lib/auth/with-member';
import { changeRoleAction, inviteAction, reactivateMemberAction, removeMemberAction, revokeInvitationAction } from './actions';

export const metadata: Metadata = { title: 'Members' };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function MembersPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const sp = await searchParams;
  const [t, tr, td, format] = await Promise.all([getTranslations('members'), getTranslations('home.roles'), getTranslations('provisioning.members'), getFormatter()]);
  const { list, invitations } = await withMember(ctx, async (tx) => ({
    list: await listMembers(tx, ctx, { q: sp.q, role: sp.role as never, page: sp.page as never }),
    invitations: await listPendingInvitations(tx, ctx),
  }));
  const roleOptions = ROLES.filter((r) => r !== 'owner' || ctx.role === 'owner').map((r) => ({ value: r, label: tr(r) }));

  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      {sp.welcome && <Alert tone="success">{t('welcome', { name: ctx.tenant.name })}</Alert>}

      <Card title={t('inviteTitle')} description={t('inviteLede')}>
        <InviteForm action={inviteAction} roles={roleOptions} />
      </Card>

      {invitations.length > 0 && (
        <Card title={t('pendingTitle')}>
          <ul className="divide-y divide-slate-200">
            {invitations.map((inv) => (
              <li key={inv.id} className="flex items-center justify-between gap-4 py-2 text-sm">
                <span>
                  <span className="font-medium">{inv.email}</span> · {tr(inv.role)} · {t('expires', { date: format.dateTime(inv.expiresAt, { dateStyle: 'medium' }) })}
                </span>
                <ConfirmForm
                  action={revokeInvitationAction}
                  hidden={{ invitationId: inv.id }}
                  trigger={t('revoke')}
                  title={t('revokeTitle')}
                  body={t('revokeBody', { email: inv.email })}
                  confirmLabel={t('revoke')}
                  pendingLabel={t('revoking')}
                />
              </li>
            ))}
          </ul>
        </Card>
      )}

      <Card title={t('listTitle', { total: list.total })}>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
          <div className="flex-1">
            <label htmlFor="member-search" className="block text-sm font-medium">
              {t('search')}
            </label>
            <input id="member-search" name="q" defaultValue={list.q} placeholder={t('searchPlaceholder')} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
          </div>
          <div>
            <label htmlFor="member-role" className="block text-sm font-medium">
              {t('roleFilter')}
            </label>
            <select id="member-role" name="role" defaultValue={list.role ?? ''} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="">{t('allRoles')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tr(r)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            {t('searchSubmit')}
          </button>
        </form>

        {list.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{list.q || list.role ? t('noMatches') : t('empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('title')}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('colName')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colRole')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colLastSignIn')}</th>
                  <th scope="col" className="py-2"><span className="sr-only">{t('colActions')}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.rows.map((m) => {
                  const locked = m.role === 'owner' && ctx.role !== 'owner';
                  return (
                    <tr key={m.membershipId} data-testid="member-row">
                      <td className="py-2 pr-4">
                        <div className="font-medium">
                          {m.name}
                          {/* Deactivated by provisioning (SCIM): kept with its history, cannot sign in, holds no seat. */}
                          {m.deactivatedAt && (
                            <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800" title={td('deactivatedSince', { date: format.dateTime(m.deactivatedAt, { dateStyle: 'medium' }) })} data-testid="member-deactivated">
                              {td('deactivated')}
                            </span>
                          )}
                        </div>
                        <div className="text-slate-600">{m.email}</div>
                      </td>
                      <td className="py-2 pr-4">
                        {locked ? tr(m.role) : <SaveOnChangeSelect action={changeRoleAction} hidden={{ membershipId: m.membershipId }} name="role" value={m.role} options={roleOptions} label={t('roleFor', { name: m.name })} />}
                      </td>
                      <td className="py-2 pr-4 text-slate-600">{m.lastSignInAt ? format.relativeTime(m.lastSignInAt) : t('never')}</td>
                      <td className="space-x-2 py-2 text-right whitespace-nowrap">
                        {!locked && m.deactivatedAt && (
                          <ConfirmAction
                            action={reactivateMemberAction}
                            hidden={{ membershipId: m.membershipId }}
                            trigger={td('reactivate')}
                            triggerLabel={td('reactivateLabel', { name: m.name })}
                            title={td('reactivateTitle', { name: m.name })}
                            body={td('reactivateBody', { name: m.name, org: ctx.tenant.name })}
                            confirmLabel={td('reactivate')}
                            pendingLabel={td('reactivating')}
                          />
                        )}
                        {!locked && (
                          <ConfirmForm
                            action={removeMemberAction}
                            hidden={{ membershipId: m.membershipId }}
                            trigger={t('remove')}
                            title={t('removeTitle', { name: m.name })}
                            body={t('removeBody', { name: m.name, org: ctx.tenant.name })}
                            confirmLabel={t('remove')}
                            pendingLabel={t('removing')}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{ q: list.q || undefined, role: list.role }} />
      </Card>
    </main>
  );
}
