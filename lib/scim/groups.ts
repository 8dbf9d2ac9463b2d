import { and, asc, count, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit, type AuditActor } from '@/lib/audit/service';
import { assertSeats } from '@/lib/billing/entitlements';
import { enrolProvisioned, unenrolProvisioned } from '@/lib/enrolment/service';
import { emit } from '@/lib/events/outbox';
import type { Role } from '@/lib/members/roles';
import { isUniqueViolation } from '@/lib/tenancy/tenants';
import { ScimError } from './errors';
import { parseFilter, type Comparison } from './filter';
import { applyGroupPatch, type PatchOperation } from './patch';
import type { GroupRow } from './resources';
import { scimActor, type ScimContext } from './tokens';

/** What `filter` may compare on /Groups (Entra checks membership with `members.value eq "<user id>"`). */
export const GROUP_FILTER_ATTRIBUTES = ['displayname', 'externalid', 'id', 'members.value'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const g = schema.scimGroups;
const gm = schema.scimGroupMembers;
const m = schema.memberships;

export type ScimGroup = GroupRow & { role: Role | null; courseId: string | null };
const groupColumns = { id: g.id, displayName: g.displayName, externalId: g.externalId, role: g.role, courseId: g.courseId, createdAt: g.createdAt, updatedAt: g.updatedAt };

function groupCondition(c: Comparison): SQL {
  const never = sql`false`;
  if (typeof c.value !== 'string') return c.attr === 'externalid' && c.value === null ? sql`${g.externalId} is null` : never;
  switch (c.attr) {
    case 'displayname':
      // displayName is case-insensitive in the core schema.
      return sql`lower(${g.displayName}) = lower(${c.value})`;
    case 'externalid':
      return eq(g.externalId, c.value);
    case 'id':
      return UUID.test(c.value) ? eq(g.id, c.value) : never;
    case 'members.value':
      return UUID.test(c.value) ? sql`exists (select 1 from ${gm} where ${gm.tenantId} = ${g.tenantId} and ${gm.groupId} = ${g.id} and ${gm.membershipId} = ${c.value})` : never;
    default:
      return never;
  }
}

export async function listGroups(tx: Tx, sc: ScimContext, q: { filter: string | null; startIndex: number; count: number }) {
  const where = and(eq(g.tenantId, sc.tenant.id), ...(q.filter ? parseFilter(q.filter, GROUP_FILTER_ATTRIBUTES).map(groupCondition) : []));
  const [[total], rows] = await Promise.all([
    tx.select({ n: count() }).from(g).where(where),
    q.count > 0 ? tx.select(groupColumns).from(g).where(where).orderBy(asc(g.createdAt), asc(g.id)).limit(q.count).offset(q.startIndex - 1) : Promise.resolve([]),
  ]);
  return { total: total?.n ?? 0, rows };
}

export async function findGroup(tx: Tx, tenantId: string, id: string, opts: { lock?: boolean } = {}): Promise<ScimGroup> {
  const notFound = () => new ScimError(404, 'scimNotFound', { params: { resource: 'Group', id: id.slice(0, 64) } });
  if (!UUID.test(id)) throw notFound();
  const query = tx.select(groupColumns).from(g).where(and(eq(g.tenantId, tenantId), eq(g.id, id))).limit(1);
  // A group's member changes take turns: two PATCHes of one group never compute their diffs from the same start.
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row) throw notFound();
  return row;
}

/** The members of groups (user id, name), for the `members` attribute. */
export async function membersOfGroups(tx: Tx, groupIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (!groupIds.length) return out;
  const rows = await tx
    .select({ groupId: gm.groupId, id: m.id, name: schema.users.name })
    .from(gm)
    .innerJoin(m, and(eq(m.tenantId, gm.tenantId), eq(m.id, gm.membershipId)))
    .innerJoin(schema.users, eq(schema.users.id, m.userId))
    .where(inArray(gm.groupId, groupIds))
    .orderBy(asc(gm.createdAt), asc(m.id));
  for (const r of rows) out.set(r.groupId, [...(out.get(r.groupId) ?? []), { id: r.id, name: r.name }]);
  return out;
}

const RANK: Record<Role, number> = { learner: 0, instructor: 1, admin: 2, owner: 3 };

/**
 * Roles from groups: a member of one or more role-mapped groups gets the highest of their roles; one who is
 * in none any more falls back to learner. Owners are never changed by provisioning. Called for the members
 * whose role-group membership just changed (or all members of a group whose mapping changed). Becoming a
 * learner again takes a seat, so it passes the seat check.
 */
export async function recomputeRoles(tx: Tx, actor: AuditActor, membershipIds: readonly string[]): Promise<number> {
  if (!membershipIds.length) return 0;
  const mapped = sql<Role | null>`(select ${g.role} from ${gm} join ${g} on ${g.tenantId} = ${gm.tenantId} and ${g.id} = ${gm.groupId}
    where ${gm.tenantId} = ${m.tenantId} and ${gm.membershipId} = ${m.id} and ${g.role} is not null
    order by array_position(array['owner','admin','instructor','learner']::member_role[], ${g.role}) limit 1)`;
  const rows = await tx
    .select({ id: m.id, userId: m.userId, role: m.role, deactivatedAt: m.deactivatedAt, email: schema.users.email, mapped })
    .from(m)
    .innerJoin(schema.users, eq(schema.users.id, m.userId))
    .where(and(eq(m.tenantId, actor.tenant.id), inArray(m.id, [...new Set(membershipIds)])))
    .orderBy(asc(m.id))
    .for('update', { of: m });
  const changes = rows
    .filter((r) => r.role !== 'owner')
    .map((r) => ({ ...r, target: (r.mapped === 'owner' ? 'admin' : (r.mapped ?? 'learner')) as Role }))
    .filter((r) => r.target !== r.role);
  if (!changes.length) return 0;
  const newLearners = changes.filter((c) => c.target === 'learner' && c.deactivatedAt === null).length;
  if (newLearners) await assertSeats(tx, actor.tenant.id, { add: newLearners });
  for (const role of ['admin', 'instructor', 'learner'] as const) {
    const ids = changes.filter((c) => c.target === role).map((c) => c.id);
    if (ids.length) await tx.update(m).set({ role }).where(and(eq(m.tenantId, actor.tenant.id), inArray(m.id, ids)));
  }
  for (const c of changes.sort((a, b) => RANK[b.target] - RANK[a.target])) {
    await recordAudit(tx, actor, { action: 'scim.member.role_changed', targetType: 'member', targetId: c.id, targetLabel: c.email, before: { role: c.role }, after: { role: c.target } });
    await emit(tx, actor.tenant.id, 'lectern/member.role_changed.v1', { membershipId: c.id, userId: c.userId, from: c.role, to: c.target });
  }
  return changes.length;
}

/** The user ids of memberships. */
async function userIdsOf(tx: Tx, membershipIds: readonly string[]): Promise<string[]> {
  if (!membershipIds.length) return [];
  const rows = await tx.select({ userId: m.userId }).from(m).where(inArray(m.id, [...membershipIds]));
  return rows.map((r) => r.userId);
}

/**
 * What joining or leaving a mapped group does: a role group recomputes roles, a course group enrols the members
 * who joined and unenrols those who left (unless another group maps them to the same course). `exceptGroupId`
 * is a group being deleted, which no longer counts.
 */
export async function applyMembershipEffects(
  tx: Tx,
  actor: AuditActor,
  group: Pick<ScimGroup, 'id' | 'displayName' | 'role' | 'courseId'>,
  change: { added: readonly string[]; removed: readonly string[] },
): Promise<void> {
  if (group.role) await recomputeRoles(tx, actor, [...change.added, ...change.removed]);
  if (!group.courseId) return;
  await enrolProvisioned(tx, actor, group.courseId, await userIdsOf(tx, change.added), group.displayName);
  if (!change.removed.length) return;
  const stillMapped = await tx
    .select({ membershipId: gm.membershipId })
    .from(gm)
    .innerJoin(g, and(eq(g.tenantId, gm.tenantId), eq(g.id, gm.groupId)))
    .where(and(eq(g.courseId, group.courseId), ne(g.id, group.id), inArray(gm.membershipId, [...change.removed])));
  const keep = new Set(stillMapped.map((r) => r.membershipId));
  await unenrolProvisioned(tx, actor, group.courseId, await userIdsOf(tx, change.removed.filter((id) => !keep.has(id))), group.displayName);
}

/** Make a group's members exactly `wanted` (user ids); unknown ids are refused, and nothing is written. */
async function setMembers(tx: Tx, sc: ScimContext, group: ScimGroup, wanted: ReadonlySet<string>, current: ReadonlySet<string>): Promise<{ added: string[]; removed: string[] }> {
  const toAdd = [...wanted].filter((id) => !current.has(id));
  const toRemove = [...current].filter((id) => !wanted.has(id));
  if (toAdd.length) {
    const bad = toAdd.find((id) => !UUID.test(id));
    const known = bad ? [] : await tx.select({ id: m.id }).from(m).where(and(eq(m.tenantId, sc.tenant.id), inArray(m.id, toAdd)));
    const knownIds = new Set(known.map((r) => r.id));
    const unknown = bad ?? toAdd.find((id) => !knownIds.has(id));
    if (unknown) throw new ScimError(400, 'scimGroupMemberUnknown', { scimType: 'invalidValue', params: { id: unknown.slice(0, 64) } });
    for (let i = 0; i < toAdd.length; i += 1000) {
      await tx
        .insert(gm)
        .values(toAdd.slice(i, i + 1000).map((membershipId) => ({ tenantId: sc.tenant.id, groupId: group.id, membershipId })))
        .onConflictDoNothing();
    }
  }
  if (toRemove.length) await tx.delete(gm).where(and(eq(gm.tenantId, sc.tenant.id), eq(gm.groupId, group.id), inArray(gm.membershipId, toRemove)));
  if (toAdd.length || toRemove.length) {
    const actor = scimActor(sc);
    await recordAudit(tx, actor, { action: 'scim.group.members_changed', targetType: 'scim_group', targetId: group.id, targetLabel: group.displayName, after: { added: toAdd.length, removed: toRemove.length } });
    await applyMembershipEffects(tx, actor, group, { added: toAdd, removed: toRemove });
  }
  return { added: toAdd, removed: toRemove };
}

async function currentMembers(tx: Tx, groupId: string): Promise<Set<string>> {
  const rows = await tx.select({ id: gm.membershipId }).from(gm).where(eq(gm.groupId, groupId));
  return new Set(rows.map((r) => r.id));
}

const MemberRef = z.looseObject({ value: z.string().max(100) });
export const GroupBody = z.looseObject({
  displayName: z.string().trim().min(1).max(200),
  externalId: z.string().max(255).nullish(),
  members: z.array(MemberRef).max(100_000).nullish(),
});

async function renameOrFail<T>(run: () => Promise<T>, displayName: string): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e, 'scim_groups_name_key')) throw new ScimError(409, 'scimGroupExists', { scimType: 'uniqueness', params: { name: displayName } });
    throw e;
  }
}

/** A group the IdP pushes. It changes nothing until an admin maps it to a role or a course in Lectern. */
export async function createGroup(tx: Tx, sc: ScimContext, raw: unknown): Promise<ScimGroup> {
  const body = GroupBody.parse(raw);
  const [exists] = await tx.select({ id: g.id }).from(g).where(and(eq(g.tenantId, sc.tenant.id), eq(g.displayName, body.displayName))).limit(1);
  if (exists) throw new ScimError(409, 'scimGroupExists', { scimType: 'uniqueness', params: { name: body.displayName } });
  const [row] = await renameOrFail(
    () => tx.insert(g).values({ tenantId: sc.tenant.id, displayName: body.displayName, externalId: body.externalId ?? null }).returning(groupColumns),
    body.displayName,
  );
  await recordAudit(tx, scimActor(sc), { action: 'scim.group.created', targetType: 'scim_group', targetId: row!.id, targetLabel: body.displayName, after: { displayName: body.displayName } });
  await setMembers(tx, sc, row!, new Set((body.members ?? []).map((r) => r.value)), new Set());
  return row!;
}

async function updateGroupFields(tx: Tx, sc: ScimContext, group: ScimGroup, next: { displayName: string; externalId: string | null }): Promise<void> {
  if (next.displayName === group.displayName && next.externalId === group.externalId) return;
  await renameOrFail(
    () => tx.update(g).set({ displayName: next.displayName, externalId: next.externalId, updatedAt: new Date() }).where(and(eq(g.tenantId, sc.tenant.id), eq(g.id, group.id))),
    next.displayName,
  );
  await recordAudit(tx, scimActor(sc), {
    action: 'scim.group.updated',
    targetType: 'scim_group',
    targetId: group.id,
    targetLabel: next.displayName,
    before: { displayName: group.displayName, externalId: group.externalId },
    after: next,
  });
}

/** PUT: name and members as the IdP has them (members left out are kept as they are, like externalId). */
export async function replaceGroup(tx: Tx, sc: ScimContext, id: string, raw: unknown): Promise<ScimGroup> {
  const group = await findGroup(tx, sc.tenant.id, id, { lock: true });
  const body = GroupBody.parse(raw);
  if (body.displayName !== group.displayName) {
    const [clash] = await tx.select({ id: g.id }).from(g).where(and(eq(g.tenantId, sc.tenant.id), eq(g.displayName, body.displayName), ne(g.id, group.id))).limit(1);
    if (clash) throw new ScimError(409, 'scimGroupExists', { scimType: 'uniqueness', params: { name: body.displayName } });
  }
  await updateGroupFields(tx, sc, group, { displayName: body.displayName, externalId: body.externalId === undefined ? group.externalId : body.externalId });
  if (body.members !== undefined) {
    const updated = { ...group, displayName: body.displayName };
    await setMembers(tx, sc, updated, new Set((body.members ?? []).map((r) => r.value)), await currentMembers(tx, group.id));
  }
  return findGroup(tx, sc.tenant.id, id);
}

/** PATCH: rename, externalId, add/remove/replace members, in Okta's or Entra's style. */
export async function patchGroup(tx: Tx, sc: ScimContext, id: string, operations: readonly PatchOperation[]): Promise<ScimGroup> {
  const group = await findGroup(tx, sc.tenant.id, id, { lock: true });
  const current = await currentMembers(tx, group.id);
  const state = applyGroupPatch({ displayName: group.displayName, externalId: group.externalId, members: new Set(current) }, operations);
  const displayName = state.displayName.trim();
  if (!displayName || displayName.length > 200) throw new ScimError(400, 'scimInvalidAttribute', { scimType: 'invalidValue', params: { attribute: 'displayName', problem: 'expected 1 to 200 characters' } });
  await updateGroupFields(tx, sc, group, { displayName, externalId: state.externalId });
  await setMembers(tx, sc, { ...group, displayName }, state.members, current);
  return findGroup(tx, sc.tenant.id, id);
}

/** DELETE: the group goes; its members leave it, with what that means for a mapped role or course. */
export async function deleteGroup(tx: Tx, sc: ScimContext, id: string): Promise<void> {
  const group = await findGroup(tx, sc.tenant.id, id, { lock: true });
  const members = [...(await currentMembers(tx, group.id))];
  await tx.delete(g).where(and(eq(g.tenantId, sc.tenant.id), eq(g.id, group.id)));
  const actor = scimActor(sc);
  await recordAudit(tx, actor, { action: 'scim.group.deleted', targetType: 'scim_group', targetId: group.id, targetLabel: group.displayName, before: { displayName: group.displayName, members: members.length } });
  await applyMembershipEffects(tx, actor, group, { added: [], removed: members });
}
