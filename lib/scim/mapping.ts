import { and, asc, count, desc, eq, like, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { findCourseById } from '@/lib/courses/permissions';
import { ValidationError } from '@/lib/errors';
import { applyMembershipEffects, findGroup, recomputeRoles } from './groups';

/**
 * What admins decide in Lectern: which SCIM group means which role or course. A group the IdP pushes maps to
 * nothing until an admin maps it; its membership is kept meanwhile and applied the moment it is mapped.
 */

const g = schema.scimGroups;
const gm = schema.scimGroupMembers;

export const GROUPS_PAGE_SIZE = 20;
/** Roles a group may grant: owners are made in Lectern only. */
export const MAPPABLE_ROLES = ['admin', 'instructor', 'learner'] as const;

export async function listGroupsForAdmin(tx: Tx, ctx: MemberContext, input: { page: number }) {
  assertRole(ctx, 'admin');
  const page = Math.max(1, input.page);
  const [rows, [total]] = await Promise.all([
    tx
      .select({
        id: g.id,
        displayName: g.displayName,
        role: g.role,
        courseId: g.courseId,
        courseTitle: schema.courses.title,
        members: sql<number>`(select count(*)::int from ${gm} where ${gm.tenantId} = ${g.tenantId} and ${gm.groupId} = ${g.id})`,
      })
      .from(g)
      .leftJoin(schema.courses, and(eq(schema.courses.tenantId, g.tenantId), eq(schema.courses.id, g.courseId)))
      .where(eq(g.tenantId, ctx.tenant.id))
      .orderBy(asc(g.displayName), asc(g.id))
      .limit(GROUPS_PAGE_SIZE)
      .offset((page - 1) * GROUPS_PAGE_SIZE),
    tx.select({ n: count() }).from(g).where(eq(g.tenantId, ctx.tenant.id)),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: GROUPS_PAGE_SIZE };
}

/** Courses a group can map to: every course not archived, by title. */
export async function mappableCourses(tx: Tx, ctx: MemberContext) {
  assertRole(ctx, 'admin');
  return tx
    .select({ id: schema.courses.id, title: schema.courses.title })
    .from(schema.courses)
    .where(and(eq(schema.courses.tenantId, ctx.tenant.id), ne(schema.courses.status, 'archived')))
    .orderBy(asc(schema.courses.title))
    .limit(500);
}

/** `none`, `role:<role>` or `course:<uuid>`: one select on the page. */
export const GroupTarget = z.string().regex(/^(none|role:(admin|instructor|learner)|course:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i);
export const MapGroupInput = z.object({ groupId: z.uuid(), target: GroupTarget });

/**
 * Map a group. A new role mapping applies to the members at once (highest role among their mapped groups wins;
 * owners are never changed); a changed or removed role mapping recomputes their roles from the groups still
 * mapped. A course mapping enrols the members; changing or removing it unenrols nobody (only the IdP removing
 * people from the group, or deleting it, does), so a slip of the mouse never deletes anyone's progress.
 */
export async function mapGroup(tx: Tx, ctx: MemberContext, raw: z.input<typeof MapGroupInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = MapGroupInput.parse(raw);
  const group = await findGroup(tx, ctx.tenant.id, input.groupId, { lock: true });
  const [kind, value] = input.target === 'none' ? ['none', null] : (input.target.split(/:(.*)/s) as ['role' | 'course', string]);
  const role = kind === 'role' ? (value as (typeof MAPPABLE_ROLES)[number]) : null;
  const courseId = kind === 'course' ? value : null;
  if (courseId) {
    const course = await findCourseById(tx, courseId);
    if (course.status === 'archived') throw new ValidationError('courseNotFound', { field: 'target' });
  }
  if (role === group.role && courseId === group.courseId) return;
  await tx.update(g).set({ role, courseId, updatedAt: new Date() }).where(and(eq(g.tenantId, ctx.tenant.id), eq(g.id, group.id)));
  await recordAudit(tx, ctx, {
    action: 'scim.group.mapped',
    targetType: 'scim_group',
    targetId: group.id,
    targetLabel: group.displayName,
    before: { role: group.role, courseId: group.courseId },
    after: { role, courseId },
  });
  const members = (await tx.select({ id: gm.membershipId }).from(gm).where(eq(gm.groupId, group.id))).map((r) => r.id);
  if (!members.length) return;
  if (role !== group.role) await recomputeRoles(tx, ctx, members);
  if (courseId && courseId !== group.courseId) {
    await applyMembershipEffects(tx, ctx, { id: group.id, displayName: group.displayName, role: null, courseId }, { added: members, removed: [] });
  }
}

/** Recent provisioning activity: every change a SCIM token made, and the admins' token and mapping changes. */
export async function provisioningActivity(tx: Tx, ctx: MemberContext, limit = 20) {
  assertRole(ctx, 'admin');
  const a = schema.auditLog;
  return tx
    .select({ id: a.id, createdAt: a.createdAt, actorLabel: a.actorLabel, action: a.action, targetLabel: a.targetLabel, before: a.before, after: a.after })
    .from(a)
    .where(and(eq(a.tenantId, ctx.tenant.id), or(like(a.actorLabel, 'SCIM token %'), like(a.action, 'scim.%'))))
    .orderBy(desc(a.createdAt), desc(a.id))
    .limit(limit);
}

