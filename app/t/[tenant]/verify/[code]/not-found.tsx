import { getTranslations } from 'next-intl/server';
import { VerifyForm } from '@/components/certificates/verify-form';
import { currentTenant } from '@/lib/auth/guard';
import { getBranding } from '@/lib/branding/service';

/** No certificate with that code here: the same page for a typo, a made-up code and another organisation's code. */
export default async function CertificateNotFound() {
  const [t, tenant] = await Promise.all([getTranslations('verify'), currentTenant()]);
  const org = tenant ? (await getBranding(tenant)).displayName : '';
  return (
    <main className="mx-auto max-w-xl space-y-6 px-6 py-12">
      <title>{t('notFoundTitle')}</title>
      <div data-testid="verification" data-status="not-found">
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">404</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">{t('notFoundTitle')}</h1>
        <p className="mt-2 text-slate-700">{t('notFoundBody', { org })}</p>
      </div>
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <VerifyForm />
      </div>
    </main>
  );
}
