import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit, type AuditActor } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { assertSeats } from '@/lib/billing/entitlements';
import { ConflictError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';
import type { Role } from './roles';

/**
 * Deactivation (SCIM `active: false`, or DELETE): the membership stays with all its history, but the person
 * cannot sign in here (sign-in and the guard ignore it, so their sessions end), holds no seat, and gets no
 * notices. Reactivation gives a learner their seat back, so it passes the seat check like any new learner.
 */

type Locked = { id: string; role: Role; user_id: string; email: string; deactivated_at: Date | null; active_owners: number };

/** The membership, row-locked together with the owners (in id order, as members/service does) so the owner count holds. */
async function lockForActivation(tx: Tx, tenantId: string, membershipId: string): Promise<Locked> {
  const rows = await tx.execute<Omit<Locked, 'active_owners'>>(sql`
    select m.id, m.role, m.user_id, u.email, m.deactivated_at from ${schema.memberships} m join ${schema.users} u on u.id = m.user_id
    where m.tenant_id = ${tenantId} and (m.id = ${membershipId} or m.role = 'owner') order by m.id for update of m`);
  const target = rows.find((r) => r.id === membershipId);
  if (!target) throw new NotFoundError('memberGone');
  return { ...target, active_owners: rows.filter((r) => r.role === 'owner' && r.deactivated_at === null).length };
}

/** Set a membership active or deactivated; returns whether anything changed. */
export async function setMembershipActive(tx: Tx, actor: AuditActor, membershipId: string, active: boolean): Promise<boolean> {
  const target = await lockForActivation(tx, actor.tenant.id, membershipId);
  if (active === (target.deactivated_at === null)) return false;
  if (active) {
    if (target.role === 'learner') await assertSeats(tx, actor.tenant.id, { add: 1 });
  } else if (target.role === 'owner' && target.active_owners <= 1) {
    // Deactivating the last active owner would leave nobody able to run the organisation.
    throw new ConflictError('lastOwner');
  }
  await tx
    .update(schema.memberships)
    .set({ deactivatedAt: active ? null : new Date() })
    .where(and(eq(schema.memberships.tenantId, actor.tenant.id), eq(schema.memberships.id, membershipId)));
  await recordAudit(tx, actor, {
    action: active ? 'member.reactivated' : 'member.deactivated',
    targetType: 'member',
    targetId: membershipId,
    targetLabel: target.email,
    before: { active: !active },
    after: { active },
  });
  return true;
}

export const ReactivateMemberInput = z.object({ membershipId: z.uuid(v('memberUnknown')) });

/** An admin reactivates a deactivated member from the members list (an owner only by an owner). */
export async function reactivateMember(tx: Tx, ctx: MemberContext, input: z.infer<typeof ReactivateMemberInput>): Promise<{ name: string }> {
  assertRole(ctx, 'admin');
  const [row] = await tx
    .select({ role: schema.memberships.role, name: schema.users.name })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(and(eq(schema.memberships.tenantId, ctx.tenant.id), eq(schema.memberships.id, input.membershipId)));
  if (!row) throw new NotFoundError('memberGone');
  if (row.role === 'owner' && ctx.role !== 'owner') throw new ForbiddenError('ownersOnly');
  await setMembershipActive(tx, ctx, input.membershipId, true);
  return { name: row.name };
}
