import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { getBranding } from '@/lib/branding/service';
import { hasRole } from '@/lib/members/roles';

/** The organisation's home: a welcome when signed out, the member's home when signed in. */
export default async function TenantHome({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const tenant = await requireTenant(slug);
  const [member, branding] = await Promise.all([getMember(slug), getBranding(tenant)]);
  const t = await getTranslations('home');
  if (!member) {
    return (
      <main className="mx-auto max-w-3xl px-6 py-20 text-center">
        <h1 className="text-4xl font-bold">{t('welcome', { name: branding.displayName })}</h1>
        <p className="mt-4 text-lg text-slate-700">{t('signedOutBody')}</p>
        <div className="mt-8 flex justify-center gap-3">
          <Link href="/sign-in" className={buttonClass('primary', 'px-6 py-3')}>
            {t('signIn')}
          </Link>
          {branding.allowSelfSignup && (
            <Link href="/sign-up" className={buttonClass('secondary', 'px-6 py-3')}>
              {t('signUp')}
            </Link>
          )}
        </div>
      </main>
    );
  }
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
      <h1 className="text-3xl font-bold">{t('hello', { name: member.user.name })}</h1>
      <Card title={t('yourRole')} description={t(`roles.${member.role}`)}>
        <p className="text-sm text-slate-700">{t('coursesSoon')}</p>
        {hasRole(member.role, 'admin') && (
          <Link href="/admin/members" className={buttonClass('primary', 'mt-4')}>
            {t('manageMembers')}
          </Link>
        )}
      </Card>
    </main>
  );
}
