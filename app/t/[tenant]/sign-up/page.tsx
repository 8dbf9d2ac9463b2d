import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card';
import { AuthForm } from '@/components/auth/auth-form';
import { Alert } from '@/components/ui/alert';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { redirect } from 'next/navigation';
import { getBranding } from '@/lib/branding/service';
import { signUpAction } from '../auth/actions';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignUpPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const tenant = await requireTenant(slug);
  if (await getMember(slug)) redirect('/');
  const [t, branding] = await Promise.all([getTranslations('signUp'), getBranding(tenant)]);
  if (!branding.allowSelfSignup) {
    return (
      <AuthCard title={t('title', { name: branding.displayName })}>
        <Alert tone="info">{t('closed', { name: branding.displayName })}</Alert>
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-brand hover:underline">
          {t('haveAccount')}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('title', { name: branding.displayName })} lede={t('lede')}>
      <AuthForm
        action={signUpAction}
        submit={t('submit')}
        pending={t('pending')}
        fields={[
          { name: 'name', label: t('name'), autoComplete: 'name' },
          { name: 'email', label: t('email'), type: 'email', autoComplete: 'email' },
          { name: 'password', label: t('password'), type: 'password', autoComplete: 'new-password', hint: t('passwordHint') },
        ]}
        footer={
          <Link href="/sign-in" className="block text-sm font-medium text-brand hover:underline">
            {t('haveAccount')}
          </Link>
        }
      />
    </AuthCard>
  );
}
