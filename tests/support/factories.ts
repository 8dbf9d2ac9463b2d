import { and, eq } from 'drizzle-orm';
import { schema, withGlobal, withTenant, type Tx } from '@/db/client';
import type { MemberContext, TenantRef } from '@/lib/auth/context';
import { hashPassword } from '@/lib/auth/password';
import type { PaidPlanId } from '@/lib/billing/plans';
import { grantPlan } from '@/lib/billing/service';
import type { Role } from '@/lib/members/roles';
import { createOrganisation } from '@/lib/tenancy/tenants';

/** The password every factory-made person has. */
export const PASSWORD = 'correct-horse-battery';

// argon2 costs ~50 ms a hash: hash the shared password once per test file.
let sharedHash: Promise<string> | undefined;
export function passwordHash(): Promise<string> {
  sharedHash ??= hashPassword(PASSWORD);
  return sharedHash;
}

export type Org = { tenant: TenantRef; owner: MemberContext; handoffToken: string };

/**
 * An organisation made the way a customer makes one (createOrganisation), with its owner's context.
 * It holds a granted Business plan (100,000 seats) so plan limits stay out of tests about other things;
 * billing tests ask for `plan: 'free'`.
 */
export async function makeOrg(slug: string, opts: { ownerName?: string; email?: string; password?: string; plan?: 'free' | PaidPlanId } = {}): Promise<Org> {
  const email = opts.email ?? `owner@${slug}.test`;
  const { tenant, handoffToken } = await createOrganisation({
    orgName: slug[0]!.toUpperCase() + slug.slice(1),
    slug,
    ownerName: opts.ownerName ?? `Owner of ${slug}`,
    email,
    password: opts.password ?? PASSWORD,
  });
  const plan = opts.plan ?? 'business';
  if (plan !== 'free') await withTenant(tenant.id, (tx) => grantPlan(tx, tenant.id, plan, 100_000));
  const owner = await memberContext(tenant, email);
  return { tenant, owner, handoffToken };
}

/** The context a signed-in member would get from requireMember(). */
export async function memberContext(tenant: TenantRef, email: string): Promise<MemberContext> {
  const row = await withTenant(tenant.id, async (tx) => {
    const [r] = await tx
      .select({ membershipId: schema.memberships.id, role: schema.memberships.role, id: schema.users.id, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.users.email, email.toLowerCase())));
    return r;
  });
  if (!row) throw new Error(`factories: ${email} is not a member of ${tenant.slug}`);
  return { tenant, user: { id: row.id, email: row.email, name: row.name }, membershipId: row.membershipId, role: row.role };
}

let counter = 0;

/**
 * Add a person to an organisation with a role (setup only: no invitation, no audit). The user is
 * created if the email is new; everyone shares PASSWORD.
 */
export async function addMember(tenant: TenantRef, role: Role, opts: { name?: string; email?: string } = {}): Promise<MemberContext> {
  counter += 1;
  const email = (opts.email ?? `${role}${counter}@${tenant.slug}.test`).toLowerCase();
  const name = opts.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${counter}`;
  const hash = await passwordHash();
  const user = await withGlobal(async (tx) => {
    const [existing] = await tx.select().from(schema.users).where(eq(schema.users.email, email));
    return existing ?? (await tx.insert(schema.users).values({ name, email, passwordHash: hash }).returning())[0]!;
  });
  const membership = await withTenant(tenant.id, async (tx) => {
    const [m] = await tx.insert(schema.memberships).values({ tenantId: tenant.id, userId: user.id, role }).returning();
    return m!;
  });
  return { tenant, user: { id: user.id, email: user.email, name: user.name }, membershipId: membership.id, role };
}

/** A host header for an organisation, as the browser would send it. */
export function hostOf(slug: string): string {
  return `${slug}.localhost:3000`;
}

/** The token at the end of a link like http://acme.localhost:3000/invite/<token>. */
export function tokenFromLink(text: string, path: 'invite' | 'reset-password'): string {
  const m = new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/<token> link in: ${text}`);
  return m[1]!;
}

/** Run a service the way the action wrapper does: in a tenant transaction for the actor's organisation. */
export function as<T>(ctx: MemberContext, fn: (tx: Tx, ctx: MemberContext) => Promise<T>): Promise<T> {
  return withTenant(ctx.tenant.id, (tx) => fn(tx, ctx));
}
