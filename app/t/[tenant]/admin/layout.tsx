import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/admin-nav';
import { PastDueBanner } from '@/components/billing/past-due-banner';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { loadEntitlements } from '@/lib/billing/entitlements';
import { devMailboxEnabled } from '@/lib/mail/service';

/** Everything under /admin needs an admin or owner of this organisation. */
export default async function AdminLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const entitlements = await withMember(ctx, (tx) => loadEntitlements(tx, ctx.tenant.id));
  const [t, tc, tp, tprov, timp, thooks] = await Promise.all([
    getTranslations('admin'),
    getTranslations('certificates.admin'),
    getTranslations('programs.admin'),
    getTranslations('provisioning'),
    getTranslations('imports'),
    getTranslations('webhooks'),
  ]);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-8 px-6 py-8 md:flex-row">
      <aside className="md:w-52 md:shrink-0">
        <h2 className="mb-3 text-xs font-semibold uppercase tracking-wide text-slate-600">{t('title')}</h2>
        <AdminNav
          items={[
            { href: '/admin/members', label: t('nav.members') },
            { href: '/admin/branding', label: t('nav.branding') },
            { href: '/admin/programs', label: tp('nav') },
            { href: '/admin/certificates', label: tc('nav') },
            { href: '/admin/billing', label: t('nav.billing') },
            { href: '/admin/api-keys', label: t('nav.apiKeys') },
            { href: '/admin/webhooks', label: thooks('title') },
            { href: '/admin/provisioning', label: tprov('nav') },
            { href: '/admin/import', label: timp('title') },
            { href: '/admin/audit', label: t('nav.audit') },
            { href: '/admin/jobs', label: t('nav.jobs') },
            ...(devMailboxEnabled() ? [{ href: '/admin/mailbox', label: t('nav.mailbox') }] : []),
          ]}
          label={t('navLabel')}
        />
      </aside>
      <div className="min-w-0 flex-1 space-y-6">
        <PastDueBanner entitlements={entitlements} />
        {children}
      </div>
    </div>
  );
}
