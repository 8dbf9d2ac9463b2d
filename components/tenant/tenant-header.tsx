import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ActionState } from '@/lib/auth/action-state';
import type { Branding } from '@/lib/branding/service';
import { hasRole, type Role } from '@/lib/members/roles';
import { buttonClass } from '@/components/ui/button';
import { SignOutButton } from '@/components/auth/sign-out-button';

export async function TenantHeader({ branding, member, signOutAction }: { branding: Branding; member: { name: string; role: Role } | null; signOutAction: () => Promise<ActionState> }) {
  const t = await getTranslations('tenant');
  return (
    <header className="bg-brand text-on-brand">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
        <Link href="/" className="flex items-center gap-3 font-semibold">
          {branding.logoUrl && (
            // eslint-disable-next-line @next/next/no-img-element -- tenant logos are served by our own route, sized by CSS
            <img src={branding.logoUrl} alt="" className="h-8 w-auto max-w-[10rem] rounded bg-white/90 object-contain p-0.5" data-testid="tenant-logo" />
          )}
          <span data-testid="tenant-name">{branding.displayName}</span>
        </Link>
        <nav aria-label={t('navLabel')} className="flex items-center gap-2 text-sm">
          {member ? (
            <>
              {hasRole(member.role, 'admin') && (
                <Link href="/admin" className="rounded-md px-3 py-2 font-medium hover:bg-black/10">
                  {t('admin')}
                </Link>
              )}
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
