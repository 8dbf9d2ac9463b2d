import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { BrandingForm } from '@/components/admin/branding-form';
import { LogoForm } from '@/components/admin/logo-form';
import { Card } from '@/components/ui/card';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { requireMember } from '@/lib/auth/guard';
import { getBranding } from '@/lib/branding/service';
import { removeLogoAction, updateBrandingAction, uploadLogoAction } from './actions';

export const metadata: Metadata = { title: 'Branding' };

export default async function BrandingPage({ params }: { params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const [t, branding] = await Promise.all([getTranslations('branding'), getBranding(ctx.tenant)]);
  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <Card title={t('identityTitle')} description={t('identityLede')}>
        <BrandingForm
          action={updateBrandingAction}
          initial={{ displayName: branding.displayName, primaryColor: branding.primaryColor, accentColor: branding.accentColor, allowSelfSignup: branding.allowSelfSignup }}
        />
      </Card>
      <Card
        title={t('logoTitle')}
        description={t('logoLede')}
        actions={
          branding.logoUrl ? (
            <ConfirmForm action={removeLogoAction} hidden={{ logo: 'current' }} trigger={t('removeLogo')} title={t('removeLogoTitle')} body={t('removeLogoBody')} confirmLabel={t('removeLogo')} pendingLabel={t('removing')} />
          ) : undefined
        }
      >
        {branding.logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- served by our own immutable route
          <img src={branding.logoUrl} alt={t('currentLogo')} className="mb-4 h-16 w-auto rounded border border-slate-200 bg-white p-2" />
        ) : (
          <p className="mb-4 text-sm text-slate-600">{t('noLogo')}</p>
        )}
        <LogoForm action={uploadLogoAction} />
      </Card>
    </main>
  );
}
