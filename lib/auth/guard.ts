import { and, eq, isNull } from 'drizzle-orm';
import { headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { schema, withTenant, type Tx } from '@/db/client';
import { env } from '@/lib/env';
import { hasRole, type Role } from '@/lib/members/roles';
import { parseHost, PATH_HEADER } from '@/lib/tenancy/host';
import { findTenantByHost, findTenantBySlug } from '@/lib/tenancy/tenants';
import { sessionStillValid, type MemberContext, type TenantRef } from './context';
import { auth } from './index';


/** The organisation of the current request, from its Host header (never from input). */
export async function currentTenantSlug(): Promise<string | null> {
  const host = parseHost((await headers()).get('host'), env().LECTERN_ROOT_DOMAIN);
  return host.kind === 'tenant' ? host.slug : null;
}

/** The organisation of the current request, or null. */
export async function currentTenant(): Promise<TenantRef | null> {
  return findTenantByHost((await headers()).get('host'));
}

export async function requireTenant(slug: string): Promise<TenantRef> {
  const tenant = await findTenantBySlug(slug);
  if (!tenant) notFound();
  return tenant;
}

/**
 * The signed-in member of this organisation, or null. The session must have been issued on this
 * organisation, and the membership is re-read, so a removed member or changed role applies at once.
 */
export const getMember = cache(async (slug: string): Promise<MemberContext | null> => {
  const tenant = await findTenantBySlug(slug);
  if (!tenant) return null;
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || session.tenantId !== tenant.id) return null;
  return withTenant(tenant.id, (tx) => memberIn(tx, tenant, userId, session.authAt));
});

/**
 * The member behind a session, read inside the organisation's transaction (getMember, and memberRoute, which
 * does its work in the same transaction); null when the membership is gone or the session predates the
 * account's last password change, or the membership was deactivated (SCIM provisioning).
 */
export async function memberIn(tx: Tx, tenant: TenantRef, userId: string, authAt: number | undefined): Promise<MemberContext | null> {
  const [row] = await tx
    .select({
      membershipId: schema.memberships.id,
      role: schema.memberships.role,
      id: schema.users.id,
      email: schema.users.email,
      name: schema.users.name,
      passwordChangedAt: schema.users.passwordChangedAt,
    })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    // A deactivated member's sessions end at once: they read as no membership at all.
    .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.memberships.userId, userId), isNull(schema.memberships.deactivatedAt)))
    .limit(1);
  if (!row || !sessionStillValid(authAt, row.passwordChangedAt)) return null;
  return { tenant, user: { id: row.id, email: row.email, name: row.name }, membershipId: row.membershipId, role: row.role };
}

/** The one guard for tenant pages: signed in here, with at least `role`; else sign-in or 403. */
export async function requireMember(slug: string, opts: { role?: Role } = {}): Promise<MemberContext> {
  await requireTenant(slug);
  const member = await getMember(slug);
  if (!member) {
    const path = (await headers()).get(PATH_HEADER) ?? '/';
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (opts.role && !hasRole(member.role, opts.role)) forbidden();
  return member;
}
