import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { schema, withGlobal, withTenant } from '@/db/client';
import { env } from '@/lib/env';
import { parseHost } from '@/lib/tenancy/host';
import { EmailSchema, findTenantBySlug } from '@/lib/tenancy/tenants';
import { dummyHash, verifyPassword } from './password';
import { hashToken } from './tokens';

export const MAX_FAILED_SIGN_INS = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

export type AuthUser = { id: string; email: string; name: string; tenantId: string };

export type SignInFailure = { reason: 'invalid' } | { reason: 'locked'; retryAfterMinutes: number };

export class SignInError extends Error {
  constructor(readonly failure: SignInFailure) {
    super(failure.reason);
  }
}

/** Failed sign-ins for this account in the window, counted since its last success. */
async function lockoutState(email: string): Promise<{ failures: number; retryAfterMs: number }> {
  const [row] = await withGlobal((tx) =>
    tx.execute<{ failures: number; oldest: Date | null }>(sql`
      with recent as (
        select succeeded, created_at from ${schema.signInAttempts}
        where email = ${email} and created_at > now() - make_interval(secs => ${LOCKOUT_WINDOW_MS / 1000})
      ), since as (select max(created_at) as t from recent where succeeded)
      select count(*)::int as failures, min(created_at) as oldest from recent, since
      where not succeeded and (since.t is null or created_at > since.t)`),
  );
  const failures = row?.failures ?? 0;
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : Date.now();
  return { failures, retryAfterMs: Math.max(0, oldest + LOCKOUT_WINDOW_MS - Date.now()) };
}

async function recordAttempt(email: string, tenantId: string | null, succeeded: boolean) {
  await withGlobal((tx) => tx.insert(schema.signInAttempts).values({ email, tenantId, succeeded }));
}

/**
 * Check an email and password for the organisation on `host`. The same "invalid" answer is given for
 * an unknown email, a wrong password and an account of another organisation; after too many failures
 * the account is locked for the rest of the window, even with the right password.
 */
export async function authenticate(host: string | null, rawEmail: unknown, rawPassword: unknown): Promise<AuthUser> {
  const hostKind = parseHost(host, env().LECTERN_ROOT_DOMAIN);
  const email = EmailSchema.safeParse(rawEmail);
  const password = typeof rawPassword === 'string' && rawPassword.length <= 200 ? rawPassword : null;
  if (hostKind.kind !== 'tenant' || !email.success || !password) throw new SignInError({ reason: 'invalid' });
  const tenant = await findTenantBySlug(hostKind.slug);
  if (!tenant) throw new SignInError({ reason: 'invalid' });

  const lock = await lockoutState(email.data);
  if (lock.failures >= MAX_FAILED_SIGN_INS) {
    throw new SignInError({ reason: 'locked', retryAfterMinutes: Math.max(1, Math.ceil(lock.retryAfterMs / 60000)) });
  }

  const [user] = await withGlobal((tx) => tx.select().from(schema.users).where(eq(schema.users.email, email.data)).limit(1));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  const membership =
    ok && user
      ? await withTenant(tenant.id, async (tx) => {
          const [m] = await tx
            .update(schema.memberships)
            .set({ lastSignInAt: new Date() })
            .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.memberships.userId, user.id)))
            .returning({ id: schema.memberships.id });
          return m;
        })
      : undefined;
  await recordAttempt(email.data, tenant.id, Boolean(membership));
  if (!user || !membership) throw new SignInError({ reason: 'invalid' });
  return { id: user.id, email: user.email, name: user.name, tenantId: tenant.id };
}

/** Redeem a one-time hand-off token (from sign-up on the root domain) on the organisation's own host. */
export async function redeemHandoff(host: string | null, token: unknown): Promise<AuthUser> {
  const hostKind = parseHost(host, env().LECTERN_ROOT_DOMAIN);
  if (hostKind.kind !== 'tenant' || typeof token !== 'string' || token.length > 100) throw new SignInError({ reason: 'invalid' });
  const tenant = await findTenantBySlug(hostKind.slug);
  if (!tenant) throw new SignInError({ reason: 'invalid' });
  const user = await withTenant(tenant.id, async (tx) => {
    const [used] = await tx
      .update(schema.authTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(schema.authTokens.tenantId, tenant.id),
          eq(schema.authTokens.tokenHash, hashToken(token)),
          eq(schema.authTokens.purpose, 'handoff'),
          isNull(schema.authTokens.usedAt),
          gt(schema.authTokens.expiresAt, new Date()),
        ),
      )
      .returning({ membershipId: schema.authTokens.membershipId });
    if (!used) return undefined;
    const [row] = await tx
      .select({ id: schema.users.id, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.memberships.id, used.membershipId)));
    return row;
  });
  if (!user) throw new SignInError({ reason: 'invalid' });
  return { ...user, tenantId: tenant.id };
}
