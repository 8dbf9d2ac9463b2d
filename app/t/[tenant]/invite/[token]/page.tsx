import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AuthCard } from '@/components/auth/auth-card';
import { AuthForm } from '@/components/auth/auth-form';
import { Alert } from '@/components/ui/alert';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { redirect } from 'next/navigation';
import { getBranding } from '@/lib/branding/service';
import { invitationProblem, viewInvitation } from '@/lib/members/service';
import { acceptInvitationAction } from '../../auth/actions';

export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer' };

export default async function InvitationPage({ params }: { params: Promise<{ tenant: string; token: string }> }) {
  const { tenant: slug, token } = await params;
  const tenant = await requireTenant(slug);
  const [t, tr, te, branding, invitation] = await Promise.all([getTranslations('invite'), getTranslations('home.roles'), getTranslations('errors'), getBranding(tenant), viewInvitation(tenant, token)]);
  // Accepting signs the invitee in, which re-renders this page with a spent token: send them home.
  if (invitation.status === 'used' && (await getMember(slug))) redirect('/');
  if (invitation.status !== 'valid') {
    return (
      <AuthCard title={t('title', { name: branding.displayName })}>
        <Alert tone="error">{te(invitationProblem(invitation.status))}</Alert>
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-brand hover:underline">
          {t('signIn')}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('title', { name: branding.displayName })} lede={t('lede', { email: invitation.email, role: tr(invitation.role) })}>
      <AuthForm
        action={acceptInvitationAction}
        hidden={{ token }}
        submit={t('submit')}
        pending={t('pending')}
        fields={
          invitation.hasAccount
            ? [
                { name: 'email', label: t('email'), type: 'email', defaultValue: invitation.email, readOnly: true, required: false },
                { name: 'password', label: t('existingPassword'), type: 'password', autoComplete: 'current-password', hint: t('existingHint') },
              ]
            : [
                { name: 'email', label: t('email'), type: 'email', defaultValue: invitation.email, readOnly: true, required: false },
                { name: 'name', label: t('name'), autoComplete: 'name' },
                { name: 'password', label: t('newPassword'), type: 'password', autoComplete: 'new-password', hint: t('passwordHint') },
              ]
        }
      />
    </AuthCard>
  );
}
