import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { schema, withGlobal, withTenant, type Tx } from '@/db/client';
import { ValidationError, type ErrorCode } from '@/lib/errors';
import { EmailSchema } from '@/lib/schemas';
import { findTenantByHost } from '@/lib/tenancy/tenants';
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
async function lockoutState(tx: Tx, email: string): Promise<{ failures: number; retryAfterMs: number }> {
  const [row] = await tx.execute<{ failures: number; oldest: Date | null }>(sql`
      with recent as (
        select succeeded, created_at from ${schema.signInAttempts}
        where email = ${email} and created_at > now() - make_interval(secs => ${LOCKOUT_WINDOW_MS / 1000})
      ), since as (select max(created_at) as t from recent where succeeded)
      select count(*)::int as failures, min(created_at) as oldest from recent, since
      where not succeeded and (since.t is null or created_at > since.t)`);
  const failures = row?.failures ?? 0;
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : Date.now();
  return { failures, retryAfterMs: Math.max(0, oldest + LOCKOUT_WINDOW_MS - Date.now()) };
}

export type AccountRow = typeof schema.users.$inferSelect;

/**
 * The one place a password is checked against an existing account, whatever the form (sign-in,
 * organisation sign-up, self-registration, invitation). Attempts on one email are serialised by an
 * advisory lock, so parallel guesses are all counted; after MAX_FAILED_SIGN_INS failures in the
 * window the account is locked, even for the right password. `accept` can add a condition (e.g.
 * membership of this organisation) that must also hold for the attempt to count as a success.
 * Resolves to the account, or throws SignInError.
 */
export async function verifyAccountPassword(
  email: string,
  password: string,
  tenantId: string | null,
  accept: (user: AccountRow) => Promise<boolean> = async () => true,
): Promise<AccountRow> {
  const outcome = await withGlobal(async (tx): Promise<{ user: AccountRow } | { failure: SignInFailure }> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sign-in:${email}`}))`);
    const lock = await lockoutState(tx, email);
    if (lock.failures >= MAX_FAILED_SIGN_INS) {
      return { failure: { reason: 'locked', retryAfterMinutes: Math.max(1, Math.ceil(lock.retryAfterMs / 60000)) } };
    }
    const [user] = await tx.select().from(schema.users).where(eq(schema.users.email, email)).limit(1);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    const ok = Boolean(user && passwordOk && (await accept(user)));
    await tx.insert(schema.signInAttempts).values({ email, tenantId, succeeded: ok });
    return ok ? { user: user! } : { failure: { reason: 'invalid' } };
  });
  if ('failure' in outcome) throw new SignInError(outcome.failure);
  return outcome.user;
}

/**
 * For forms that take the password of an account that may already exist (organisation sign-up,
 * self-registration, invitations): the account if it exists and the password is right,
 * null if there is no such account, a ValidationError (`wrong`) otherwise. Same lockout as sign-in.
 */
export async function existingAccountFor(email: string, password: string, tenantId: string | null, wrong: ErrorCode): Promise<AccountRow | null> {
  const [known] = await withGlobal((tx) => tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)).limit(1));
  if (!known) return null;
  try {
    return await verifyAccountPassword(email, password, tenantId);
  } catch (e) {
    if (!(e instanceof SignInError)) throw e;
    if (e.failure.reason === 'locked') throw new ValidationError('accountLocked', { field: 'password', params: { minutes: e.failure.retryAfterMinutes } });
    throw new ValidationError(wrong, { field: 'password' });
  }
}

/**
 * Check an email and password for the organisation on `host`. The same "invalid" answer is given for
 * an unknown email, a wrong password and an account of another organisation.
 */
export async function authenticate(host: string | null, rawEmail: unknown, rawPassword: unknown): Promise<AuthUser> {
  const email = EmailSchema.safeParse(rawEmail);
  const password = typeof rawPassword === 'string' && rawPassword.length <= 200 ? rawPassword : null;
  const tenant = email.success && password ? await findTenantByHost(host) : null;
  if (!tenant || !email.success || !password) throw new SignInError({ reason: 'invalid' });

  const user = await verifyAccountPassword(email.data, password, tenant.id, (u) =>
    withTenant(tenant.id, async (tx) => {
      const [m] = await tx
        .update(schema.memberships)
        .set({ lastSignInAt: new Date() })
        // Deactivated (SCIM) counts as not a member here: the same "invalid" answer, nothing recorded.
        .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.memberships.userId, u.id), isNull(schema.memberships.deactivatedAt)))
        .returning({ id: schema.memberships.id });
      return Boolean(m);
    }),
  );
  return { id: user.id, email: user.email, name: user.name, tenantId: tenant.id };
}

/** Redeem a one-time hand-off token (from sign-up on the root domain) on the organisation's own host. */
export async function redeemHandoff(host: string | null, token: unknown): Promise<AuthUser> {
  const tenant = typeof token === 'string' && token.length <= 100 ? await findTenantByHost(host) : null;
  if (!tenant || typeof token !== 'string') throw new SignInError({ reason: 'invalid' });
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
