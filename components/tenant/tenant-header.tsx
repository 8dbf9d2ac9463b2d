import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ActionState } from '@/lib/auth/action-state';
import { currentTenantSlug, getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import type { Branding } from '@/lib/branding/service';
import { teachesAnyCourse } from '@/lib/learning/view';
import { hasRole, type Role } from '@/lib/members/roles';
import { MainNav } from '@/components/learn/main-nav';
import { buttonClass } from '@/components/ui/button';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { NotificationBell } from '@/components/notifications/notification-bell';

/** Whether to offer "Teach": instructors and above always; learners who instruct or assist in a course. */
async function showsTeach(role: Role): Promise<boolean> {
  if (hasRole(role, 'instructor')) return true;
  const slug = await currentTenantSlug();
  const ctx = slug ? await getMember(slug) : null;
  return ctx ? withMember(ctx, (tx) => teachesAnyCourse(tx, ctx)) : false;
}

export async function TenantHeader({ branding, member, signOutAction }: { branding: Branding; member: { name: string; role: Role } | null; signOutAction: () => Promise<ActionState> }) {
  const t = await getTranslations('tenant');
  const sections = [
    { href: '/courses', label: t('courses') },
    ...(member ? [{ href: '/learn', label: t('myLearning') }, { href: '/calendar', label: t('calendar') }] : []),
    ...(member && (await showsTeach(member.role)) ? [{ href: '/teach', label: t('teach') }] : []),
    ...(member && hasRole(member.role, 'admin') ? [{ href: '/admin', label: t('admin') }] : []),
  ];
  return (
    <header className="bg-brand text-on-brand">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-1 px-6 py-2">
        <Link href="/" className="flex min-h-11 items-center gap-3 rounded-md font-semibold">
          {branding.logoUrl && (
            // eslint-disable-next-line @next/next/no-img-element -- tenant logos are served by our own route, sized by CSS
            <img src={branding.logoUrl} alt="" className="h-8 w-auto max-w-[10rem] rounded bg-white/90 object-contain p-0.5" data-testid="tenant-logo" />
          )}
          <span data-testid="tenant-name">{branding.displayName}</span>
        </Link>
        <div className="order-last w-full min-w-0 sm:order-none sm:w-auto sm:flex-1">
          <MainNav items={sections} label={t('mainNav')} />
        </div>
        <nav aria-label={t('navLabel')} className="ml-auto flex items-center gap-2 text-sm">
          {member ? (
            <>
              <NotificationBell />
              <span className="hidden px-2 sm:inline" data-testid="signed-in-as">
                {member.name}
              </span>
              <SignOutButton action={signOutAction} label={t('signOut')} />
            </>
          ) : (
            <Link href="/sign-in" className={buttonClass('secondary')}>
              {t('signIn')}
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}
