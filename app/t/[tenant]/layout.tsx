import type { CSSProperties, ReactNode } from 'react';
import type { Metadata } from 'next';
import { TenantHeader } from '@/components/tenant/tenant-header';
import { getMember, requireTenant } from '@/lib/auth/guard';
import { getBranding } from '@/lib/branding/service';
import { findTenantBySlug } from '@/lib/tenancy/tenants';
import { signOutAction } from './auth/actions';

type Props = { children: ReactNode; params: Promise<{ tenant: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) return { title: 'Not found' };
  const branding = await getBranding(tenant);
  return { title: { default: branding.displayName, template: `%s · ${branding.displayName}` } };
}

/** Every page of an organisation: its branding as CSS variables, and its header. */
export default async function TenantLayout({ children, params }: Props) {
  const { tenant: slug } = await params;
  const tenant = await requireTenant(slug);
  const [branding, member] = await Promise.all([getBranding(tenant), getMember(slug)]);
  const style = {
    '--brand-primary': branding.primaryColor,
    '--brand-on-primary': branding.onPrimary,
    '--brand-accent': branding.accentColor,
    '--brand-on-accent': branding.onAccent,
  } as CSSProperties;
  return (
    <div style={style} className="flex min-h-screen flex-col" data-tenant={tenant.slug}>
      <TenantHeader branding={branding} member={member ? { name: member.user.name, role: member.role } : null} signOutAction={signOutAction} />
      <div className="flex-1">{children}</div>
    </div>
  );
}
