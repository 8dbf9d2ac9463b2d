import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card';
import { AuthForm } from '@/components/auth/auth-form';
import { Alert } from '@/components/ui/alert';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { safeCallbackPath } from '@/lib/auth/messages';
import { getBranding } from '@/lib/branding/service';
import { signInAction } from '../auth/actions';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function SignInPage({ params, searchParams }: Props) {
  const { tenant: slug } = await params;
  const sp = await searchParams;
  const tenant = await requireTenant(slug);
  const callbackUrl = safeCallbackPath(sp.callbackUrl);
  if (await getMember(slug)) redirect(callbackUrl);
  const [t, branding] = await Promise.all([getTranslations('signIn'), getBranding(tenant)]);
  return (
    <AuthCard title={t('title', { name: branding.displayName })}>
      <div className="mb-4 space-y-2">
        {sp.reset && <Alert tone="success">{t('afterReset')}</Alert>}
        {sp.signedOut && <Alert tone="info">{t('signedOut')}</Alert>}
        {sp.handoff && <Alert tone="error">{t('handoffExpired')}</Alert>}
        {sp.error && !sp.handoff && <Alert tone="error">{t('authError')}</Alert>}
      </div>
      <AuthForm
        action={signInAction}
        hidden={{ callbackUrl }}
        submit={t('submit')}
        pending={t('pending')}
        fields={[
          { name: 'email', label: t('email'), type: 'email', autoComplete: 'username' },
          { name: 'password', label: t('password'), type: 'password', autoComplete: 'current-password' },
        ]}
        footer={
          <div className="flex justify-between text-sm">
            <Link href="/reset-password" className="font-medium text-brand underline-offset-2 hover:underline">
              {t('forgot')}
            </Link>
            {branding.allowSelfSignup && (
              <Link href="/sign-up" className="font-medium text-brand underline-offset-2 hover:underline">
                {t('signUp')}
              </Link>
            )}
          </div>
        }
      />
    </AuthCard>
  );
}
