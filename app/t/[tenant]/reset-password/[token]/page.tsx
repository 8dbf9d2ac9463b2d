import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card';
import { AuthForm } from '@/components/auth/auth-form';
import { requireTenant } from '@/lib/auth/guard';
import { resetPasswordAction } from '../../auth/actions';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ tenant: string; token: string }> }) {
  const { tenant, token } = await params;
  await requireTenant(tenant);
  const t = await getTranslations('reset');
  return (
    <AuthCard title={t('chooseTitle')}>
      <AuthForm
        action={resetPasswordAction}
        hidden={{ token }}
        submit={t('chooseSubmit')}
        pending={t('choosePending')}
        fields={[
          { name: 'password', label: t('newPassword'), type: 'password', autoComplete: 'new-password', hint: t('passwordHint') },
          { name: 'confirm', label: t('confirm'), type: 'password', autoComplete: 'new-password' },
        ]}
      />
    </AuthCard>
  );
}
