import { and, asc, count, desc, eq, gt, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { enterTenant, schema, withGlobal, withTenant, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertSeats } from '@/lib/billing/entitlements';
import { assertRole, type MemberContext, type TenantRef } from '@/lib/auth/context';
import { hashPassword, PasswordSchema } from '@/lib/auth/password';
import { existingAccountFor } from '@/lib/auth/sign-in';
import { hashToken, newToken } from '@/lib/auth/tokens';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type ErrorCode } from '@/lib/errors';
import { releaseSeatsOfLeavingMember } from '@/lib/enrolment/service';
import { emit } from '@/lib/events/outbox';
import { sendMail } from '@/lib/mail/service';
import { EmailSchema, NameSchema, PageParam } from '@/lib/schemas';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { ROLES, type Role } from './roles';

export const MEMBERS_PAGE_SIZE = 20;
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const ListMembersInput = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  role: z.enum(ROLES).optional().catch(undefined),
  page: PageParam.default(1),
});
export type ListMembersInput = z.input<typeof ListMembersInput>;

export async function listMembers(tx: Tx, ctx: MemberContext, raw: ListMembersInput) {
  assertRole(ctx, 'admin');
  const input = ListMembersInput.parse(raw);
  const filters: SQL[] = [eq(schema.memberships.tenantId, ctx.tenant.id)];
  if (input.role) filters.push(eq(schema.memberships.role, input.role));
  if (input.q) {
    const pattern = `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(schema.users.name, pattern), ilike(schema.users.email, pattern))!);
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    tx
      .select({
        membershipId: schema.memberships.id,
        userId: schema.users.id,
        name: schema.users.name,
        email: schema.users.email,
        role: schema.memberships.role,
        joinedAt: schema.memberships.createdAt,
        lastSignInAt: schema.memberships.lastSignInAt,
        // Deactivated by provisioning: listed with a badge, so admins can reactivate or remove them.
        deactivatedAt: schema.memberships.deactivatedAt,
      })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(where)
      .orderBy(asc(schema.users.name), asc(schema.memberships.id))
      .limit(MEMBERS_PAGE_SIZE)
      .offset((input.page - 1) * MEMBERS_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.memberships).innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: input.page, pageSize: MEMBERS_PAGE_SIZE, q: input.q, role: input.role };
}

/** Only owners may hand out, take away or touch the owner role. */
function assertMayAssign(ctx: MemberContext, ...roles: Role[]) {
  if (roles.includes('owner') && ctx.role !== 'owner') throw new ForbiddenError('ownersOnly');
}

export const InviteInput = z.object({ email: EmailSchema, role: z.enum(ROLES, v('roleMissing')) });

export async function inviteMember(tx: Tx, ctx: MemberContext, input: z.infer<typeof InviteInput>) {
  assertRole(ctx, 'admin');
  assertMayAssign(ctx, input.role);
  const [member] = await tx
    .select({ id: schema.memberships.id })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(and(eq(schema.memberships.tenantId, ctx.tenant.id), eq(schema.users.email, input.email)))
    .limit(1);
  if (member) throw new ConflictError('alreadyMember', { field: 'email', params: { email: input.email } });

  // A new invitation replaces any pending one for the same address (an owner invitation only by an owner).
  const replaced = await tx
    .update(schema.invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.invitations.tenantId, ctx.tenant.id), eq(schema.invitations.email, input.email), isNull(schema.invitations.acceptedAt), isNull(schema.invitations.revokedAt)))
    .returning({ role: schema.invitations.role });
  assertMayAssign(ctx, ...replaced.map((r) => r.role));
  if (input.role === 'learner') await assertSeats(tx, ctx.tenant.id, { add: 1 });
  const { token, hash } = newToken();
  const [invitation] = await tx
    .insert(schema.invitations)
    .values({ tenantId: ctx.tenant.id, email: input.email, role: input.role, tokenHash: hash, invitedBy: ctx.membershipId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
    .returning();
  const link = `${tenantOrigin(ctx.tenant.slug)}/invite/${token}`;
  await sendMail(tx, ctx.tenant.id, {
    to: input.email,
    subject: `You're invited to ${ctx.tenant.name} on Lectern`,
    text: `${ctx.user.name} invited you to join ${ctx.tenant.name} as ${input.role}.\n\nAccept the invitation: ${link}\n\nThis link expires in 7 days.`,
  });
  await recordAudit(tx, ctx, { action: 'member.invited', targetType: 'invitation', targetId: invitation!.id, targetLabel: input.email, after: { email: input.email, role: input.role } });
  await emit(tx, ctx.tenant.id, 'lectern/member.invited.v1', { invitationId: invitation!.id, email: input.email, role: input.role });
  return { invitationId: invitation!.id, link };
}

export async function listPendingInvitations(tx: Tx, ctx: MemberContext) {
  assertRole(ctx, 'admin');
  return tx
    .select({ id: schema.invitations.id, email: schema.invitations.email, role: schema.invitations.role, expiresAt: schema.invitations.expiresAt, createdAt: schema.invitations.createdAt })
    .from(schema.invitations)
    .where(and(eq(schema.invitations.tenantId, ctx.tenant.id), isNull(schema.invitations.acceptedAt), isNull(schema.invitations.revokedAt), gt(schema.invitations.expiresAt, new Date())))
    .orderBy(desc(schema.invitations.createdAt))
    .limit(100);
}

export const RevokeInvitationInput = z.object({ invitationId: z.uuid(v('invitationUnknown')) });

export async function revokeInvitation(tx: Tx, ctx: MemberContext, input: z.infer<typeof RevokeInvitationInput>) {
  assertRole(ctx, 'admin');
  const [row] = await tx
    .update(schema.invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.invitations.tenantId, ctx.tenant.id), eq(schema.invitations.id, input.invitationId), isNull(schema.invitations.acceptedAt), isNull(schema.invitations.revokedAt)))
    .returning();
  if (!row) throw new NotFoundError('invitationGone');
  assertMayAssign(ctx, row.role);
  await recordAudit(tx, ctx, { action: 'invitation.revoked', targetType: 'invitation', targetId: row.id, targetLabel: row.email, before: { email: row.email, role: row.role } });
}

/**
 * Lock the target membership and every owner row in one statement, in id order: two owners changing
 * each other at once then queue on the same rows instead of deadlocking, and the owner count is read
 * under those locks (a row demoted meanwhile no longer matches and is skipped).
 */
async function lockMember(tx: Tx, ctx: MemberContext, membershipId: string) {
  const rows = await tx.execute<{ id: string; role: Role; user_id: string; name: string; email: string; deactivated_at: Date | null }>(sql`
    select m.id, m.role, m.user_id, u.name, u.email, m.deactivated_at from ${schema.memberships} m join ${schema.users} u on u.id = m.user_id
    where m.tenant_id = ${ctx.tenant.id} and (m.id = ${membershipId} or m.role = 'owner') order by m.id for update of m`);
  const target = rows.find((r) => r.id === membershipId);
  if (!target) throw new NotFoundError('memberGone');
  return { ...target, owners: rows.filter((r) => r.role === 'owner').length };
}

function assertNotLastOwner(target: { owners: number }) {
  if (target.owners <= 1) throw new ConflictError('lastOwner');
}

export const ChangeRoleInput = z.object({ membershipId: z.uuid(v('memberUnknown')), role: z.enum(ROLES, v('roleMissing')) });

export async function changeRole(tx: Tx, ctx: MemberContext, input: z.infer<typeof ChangeRoleInput>) {
  assertRole(ctx, 'admin');
  const target = await lockMember(tx, ctx, input.membershipId);
  if (target.role === input.role) return;
  assertMayAssign(ctx, target.role, input.role);
  if (target.role === 'owner') assertNotLastOwner(target);
  // A deactivated member holds no seat; reactivating them is what takes one (lib/members/activation.ts).
  if (input.role === 'learner' && !target.deactivated_at) await assertSeats(tx, ctx.tenant.id, { add: 1 });
  await tx.update(schema.memberships).set({ role: input.role }).where(and(eq(schema.memberships.tenantId, ctx.tenant.id), eq(schema.memberships.id, target.id)));
  await recordAudit(tx, ctx, { action: 'member.role_changed', targetType: 'member', targetId: target.id, targetLabel: target.email, before: { role: target.role }, after: { role: input.role } });
  await emit(tx, ctx.tenant.id, 'lectern/member.role_changed.v1', { membershipId: target.id, userId: target.user_id, from: target.role, to: input.role });
}

export const RemoveMemberInput = z.object({ membershipId: z.uuid(v('memberUnknown')) });

export async function removeMember(tx: Tx, ctx: MemberContext, input: z.infer<typeof RemoveMemberInput>) {
  assertRole(ctx, 'admin');
  const target = await lockMember(tx, ctx, input.membershipId);
  assertMayAssign(ctx, target.role);
  if (target.role === 'owner') assertNotLastOwner(target);
  await releaseSeatsOfLeavingMember(tx, target.user_id);
  await tx.delete(schema.memberships).where(and(eq(schema.memberships.tenantId, ctx.tenant.id), eq(schema.memberships.id, target.id)));
  await recordAudit(tx, ctx, { action: 'member.removed', targetType: 'member', targetId: target.id, targetLabel: target.email, before: { name: target.name, email: target.email, role: target.role } });
  await emit(tx, ctx.tenant.id, 'lectern/member.removed.v1', { membershipId: target.id, userId: target.user_id });
}

export type InvitationView =
  | { status: 'valid'; email: string; role: Role; hasAccount: boolean }
  | { status: 'expired' | 'used' | 'revoked' | 'unknown' };

async function findInvitation(tx: Tx, tenantId: string, token: string) {
  const [row] = await tx
    .select()
    .from(schema.invitations)
    .where(and(eq(schema.invitations.tenantId, tenantId), eq(schema.invitations.tokenHash, hashToken(token))))
    .limit(1)
    .for('update');
  return row;
}

function invitationStatus(row: typeof schema.invitations.$inferSelect | undefined): InvitationView['status'] {
  if (!row) return 'unknown';
  if (row.acceptedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() < Date.now()) return 'expired';
  return 'valid';
}

/** What the invitee sees before accepting. */
export async function viewInvitation(tenant: TenantRef, token: string): Promise<InvitationView> {
  if (token.length > 100) return { status: 'unknown' };
  const row = await withTenant(tenant.id, (tx) => findInvitation(tx, tenant.id, token));
  const status = invitationStatus(row);
  if (status !== 'valid' || !row) return { status: status === 'valid' ? 'unknown' : status };
  const [user] = await withGlobal((tx) => tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, row.email)).limit(1));
  return { status: 'valid', email: row.email, role: row.role, hasAccount: Boolean(user) };
}

export const AcceptInvitationInput = z.object({
  token: z.string().min(1).max(100),
  name: z.string().trim().max(120).optional(),
  password: PasswordSchema,
});

/**
 * Accept an invitation: a new person sets their name and password; someone who already has a Lectern
 * account proves it with their password. Membership, acceptance and audit row are one transaction.
 */
export async function acceptInvitation(tenant: TenantRef, input: z.infer<typeof AcceptInvitationInput>): Promise<{ email: string }> {
  const view = await viewInvitation(tenant, input.token);
  if (view.status !== 'valid') throw new ValidationError(invitationProblem(view.status), { field: 'token' });
  const existing = await existingAccountFor(view.email, input.password, tenant.id, 'existingPasswordWrong');
  if (!existing) {
    const name = NameSchema.safeParse(input.name);
    if (!name.success) throw new ValidationError('nameRequired', { field: 'name' });
  }
  const passwordHash = existing ? null : await hashPassword(input.password);

  return withGlobal(async (tx) => {
    // Lock the invitation before creating anyone: a second accept of the same link waits here, then sees it used.
    await enterTenant(tx, tenant.id);
    const invitation = await findInvitation(tx, tenant.id, input.token);
    const status = invitationStatus(invitation);
    if (status !== 'valid' || !invitation) throw new ValidationError(invitationProblem(status), { field: 'token' });
    if (invitation.role === 'learner') await assertSeats(tx, tenant.id, { add: 1, exceptInvitationId: invitation.id });
    const user = existing ?? (await tx.insert(schema.users).values({ name: input.name!.trim(), email: view.email, passwordHash }).returning())[0]!;
    const [membership] = await tx
      .insert(schema.memberships)
      .values({ tenantId: tenant.id, userId: user.id, role: invitation.role })
      .onConflictDoNothing()
      .returning();
    if (!membership) throw new ConflictError('alreadyMemberSignIn');
    await tx.update(schema.invitations).set({ acceptedAt: new Date() }).where(and(eq(schema.invitations.tenantId, tenant.id), eq(schema.invitations.id, invitation.id)));
    await recordAudit(tx, { tenant, user: { id: user.id, name: user.name, email: user.email } }, {
      action: 'invitation.accepted',
      targetType: 'member',
      targetId: membership.id,
      targetLabel: user.email,
      after: { email: user.email, role: invitation.role },
    });
    await emit(tx, tenant.id, 'lectern/member.joined.v1', { membershipId: membership.id, userId: user.id, role: invitation.role });
    return { email: user.email };
  });
}

/** The catalogue code that explains why an invitation cannot be used. */
export function invitationProblem(status: InvitationView['status']): ErrorCode {
  switch (status) {
    case 'expired':
      return 'invitationExpired';
    case 'used':
      return 'invitationUsed';
    case 'revoked':
      return 'invitationRevoked';
    default:
      return 'invitationUnknown';
  }
}

export const SelfSignUpInput = z.object({ name: NameSchema, email: EmailSchema, password: PasswordSchema });

/** Self-registration as a learner, when the organisation allows it. */
export async function selfSignUp(tenant: TenantRef, input: z.infer<typeof SelfSignUpInput>): Promise<void> {
  const allowed = await withTenant(tenant.id, async (tx) => {
    const [s] = await tx.select({ allow: schema.tenantSettings.allowSelfSignup }).from(schema.tenantSettings).where(eq(schema.tenantSettings.tenantId, tenant.id));
    return s?.allow ?? false;
  });
  if (!allowed) throw new ForbiddenError('selfSignupClosed', { org: tenant.name });
  const existing = await existingAccountFor(input.email, input.password, tenant.id, 'accountExistsJoin');
  const passwordHash = existing ? null : await hashPassword(input.password);
  await withGlobal(async (tx) => {
    const user = existing ?? (await tx.insert(schema.users).values({ name: input.name, email: input.email, passwordHash }).returning())[0]!;
    await enterTenant(tx, tenant.id);
    await assertSeats(tx, tenant.id, { add: 1 });
    const [membership] = await tx.insert(schema.memberships).values({ tenantId: tenant.id, userId: user.id, role: 'learner' }).onConflictDoNothing().returning();
    if (!membership) throw new ConflictError('alreadyMemberSignIn', { field: 'email' });
    await emit(tx, tenant.id, 'lectern/member.joined.v1', { membershipId: membership.id, userId: user.id, role: 'learner' });
  });
}
