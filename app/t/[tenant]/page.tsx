import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { DueSoon } from '@/components/calendar/due-soon';
import { CourseGrid } from '@/components/catalogue/course-grid';
import { LearnerDashboard } from '@/components/learn/learner-dashboard';
import { buttonClass } from '@/components/ui/button';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { withMember, withTenantOf } from '@/lib/auth/with-member';
import { getBranding } from '@/lib/branding/service';
import { dueSoon } from '@/lib/calendar/due-items';
import { listCatalogue } from '@/lib/courses/catalogue';
import { learnerHome } from '@/lib/learning/player';
import { hasRole } from '@/lib/members/roles';

const TEASER_SIZE = 6;

/** The organisation's home: a welcome and a catalogue teaser when signed out, the learner's home when signed in. */
export default async function TenantHome({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const tenant = await requireTenant(slug);
  const [member, branding] = await Promise.all([getMember(slug), getBranding(tenant)]);
  const t = await getTranslations('home');
  if (!member) {
    const catalogue = await withTenantOf(tenant, (tx) => listCatalogue(tx, {}));
    const tc = await getTranslations('catalogue');
    return (
      <main>
        <section className="border-b border-slate-200 bg-white">
          <div className="mx-auto max-w-3xl px-6 py-20 text-center">
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
          </div>
        </section>
        {catalogue.rows.length > 0 && (
          <section aria-labelledby="teaser" className="mx-auto max-w-6xl px-6 py-12">
            <div className="flex flex-wrap items-end justify-between gap-4">
              <h2 id="teaser" className="text-2xl font-bold tracking-tight">
                {tc('teaserTitle')}
              </h2>
              <Link href="/courses" className="rounded text-sm font-semibold text-slate-800 underline underline-offset-2">
                {tc('teaserAll', { total: catalogue.total })}
              </Link>
            </div>
            <CourseGrid tenant={tenant} rows={catalogue.rows.slice(0, TEASER_SIZE)} headingLevel={3} />
          </section>
        )}
      </main>
    );
  }
  const now = new Date();
  const [home, due] = await withMember(member, (tx) => Promise.all([learnerHome(tx, member), dueSoon(tx, member, now)]));
  return (
    <main className="mx-auto max-w-6xl space-y-8 px-6 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('hello', { name: member.user.name })}</h1>
          <p className="mt-2 text-slate-600">{t('signedInLede')}</p>
          <p className="mt-2 text-sm text-slate-600">
            {t('yourRole')}{' '}
            <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-800 ring-1 ring-slate-200 ring-inset">{t(`roles.${member.role}`)}</span>
          </p>
        </div>
        {hasRole(member.role, 'admin') && (
          <Link href="/admin/members" className={buttonClass('secondary')}>
            {t('manageMembers')}
          </Link>
        )}
      </div>
      {(due.length > 0 || home.inProgress.length > 0) && <DueSoon items={due} now={now} />}
      <LearnerDashboard tenant={member.tenant} home={home} />
    </main>
  );
}
