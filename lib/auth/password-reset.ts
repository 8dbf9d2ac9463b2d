import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { schema, withGlobal, withTenant } from '@/db/client';
import type { TenantRef } from '@/lib/auth/context';
import { ValidationError } from '@/lib/errors';
import { sendMail } from '@/lib/mail/service';
import { EmailSchema } from '@/lib/schemas';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { hashPassword, PasswordSchema } from './password';
import { hashToken, newToken } from './tokens';

export const RESET_TTL_MS = 60 * 60 * 1000;

export const RequestResetInput = z.object({ email: EmailSchema });

/**
 * Email a reset link to a member of this organisation. The answer is the same whether or not the
 * address belongs to a member, so the form cannot be used to discover accounts.
 */
export async function requestPasswordReset(tenant: TenantRef, input: z.infer<typeof RequestResetInput>): Promise<void> {
  await withTenant(tenant.id, async (tx) => {
    const [member] = await tx
      .select({ membershipId: schema.memberships.id, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      // A deactivated member (SCIM) gets no link: they could not sign in with it anyway.
      .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.users.email, input.email), isNull(schema.memberships.deactivatedAt)))
      .limit(1);
    if (!member) return;
    const { token, hash } = newToken();
    await tx.insert(schema.authTokens).values({ tenantId: tenant.id, membershipId: member.membershipId, purpose: 'password_reset', tokenHash: hash, expiresAt: new Date(Date.now() + RESET_TTL_MS) });
    await sendMail(tx, tenant.id, {
      to: input.email,
      subject: `Reset your ${tenant.name} password`,
      text: `Hello ${member.name},\n\nSomeone asked to reset the password for your account at ${tenant.name}. To choose a new password, open:\n${tenantOrigin(tenant.slug)}/reset-password/${token}\n\nThe link works once and expires in one hour. If it was not you, ignore this email.`,
    });
  });
}

export const ResetPasswordInput = z
  .object({ token: z.string().min(1).max(100), password: PasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: v('passwordsDiffer'), path: ['confirm'] });

/** Set a new password with a one-time token; the token is spent in the same transaction. */
export async function resetPassword(tenant: TenantRef, input: z.infer<typeof ResetPasswordInput>): Promise<{ email: string }> {
  const passwordHash = await hashPassword(input.password);
  const email = await withTenant(tenant.id, async (tx) => {
    const [used] = await tx
      .update(schema.authTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(schema.authTokens.tenantId, tenant.id),
          eq(schema.authTokens.tokenHash, hashToken(input.token)),
          eq(schema.authTokens.purpose, 'password_reset'),
          isNull(schema.authTokens.usedAt),
          gt(schema.authTokens.expiresAt, new Date()),
        ),
      )
      .returning({ membershipId: schema.authTokens.membershipId });
    if (!used) return null;
    const [m] = await tx
      .select({ userId: schema.memberships.userId })
      .from(schema.memberships)
      .where(and(eq(schema.memberships.tenantId, tenant.id), eq(schema.memberships.id, used.membershipId)));
    const [user] = await tx
      .update(schema.users)
      .set({ passwordHash, passwordChangedAt: new Date() })
      .where(eq(schema.users.id, m!.userId))
      .returning({ email: schema.users.email, name: schema.users.name });
    await sendMail(tx, tenant.id, {
      to: user!.email,
      subject: `Your ${tenant.name} password was changed`,
      text: `Hello ${user!.name},\n\nThe password for your Lectern account was just changed, and every other signed-in session was signed out. If this was not you, reset your password at once at ${tenantOrigin(tenant.slug)}/reset-password and tell your organisation's admin.`,
    });
    return user!.email;
  });
  if (!email) throw new ValidationError('resetLinkInvalid', { field: 'token' });
  // A successful reset ends any lockout for the account.
  await withGlobal((tx) => tx.insert(schema.signInAttempts).values({ email, tenantId: tenant.id, succeeded: true }));
  return { email };
}
