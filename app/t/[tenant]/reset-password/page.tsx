import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card';
import { AuthForm } from '@/components/auth/auth-form';
import { requireTenant } from '@/lib/auth/guard';
import { requestResetAction } from '../auth/actions';

export const metadata: Metadata = { title: 'Reset password' };

export default async function RequestResetPage({ params }: { params: Promise<{ tenant: string }> }) {
  await requireTenant((await params).tenant);
  const t = await getTranslations('reset');
  return (
    <AuthCard title={t('requestTitle')} lede={t('requestLede')}>
      <AuthForm
        action={requestResetAction}
        submit={t('requestSubmit')}
        pending={t('requestPending')}
        fields={[{ name: 'email', label: t('email'), type: 'email', autoComplete: 'email' }]}
        footer={
          <Link href="/sign-in" className="block text-sm font-medium text-brand hover:underline">
            {t('back')}
          </Link>
        }
      />
    </AuthCard>
  );
}
