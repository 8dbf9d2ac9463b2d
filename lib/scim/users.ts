import { and, asc, count, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertSeats } from '@/lib/billing/entitlements';
import { emit } from '@/lib/events/outbox';
import { setMembershipActive } from '@/lib/members/activation';
import { EmailSchema } from '@/lib/schemas';
import { isUniqueViolation } from '@/lib/tenancy/tenants';
import { ScimError } from './errors';
import { parseFilter, type Comparison } from './filter';
import { applyUserPatch, scimBoolean, type PatchOperation, type UserPatchState } from './patch';
import { splitName, type UserRow } from './resources';
import { scimActor, type ScimContext } from './tokens';

/** What `filter` may compare on /Users. */
export const USER_FILTER_ATTRIBUTES = ['username', 'externalid', 'id', 'emails', 'emails.value', 'active', 'displayname'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_MAX = 120;
const m = schema.memberships;
const u = schema.users;

/** A SCIM user and the account behind it. */
export type ScimUser = UserRow & { userId: string };

const userColumns = {
  id: m.id,
  userId: m.userId,
  email: u.email,
  name: u.name,
  role: m.role,
  externalId: m.scimExternalId,
  deactivatedAt: m.deactivatedAt,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
};

function userCondition(c: Comparison): SQL {
  const never = sql`false`;
  switch (c.attr) {
    case 'username':
    case 'emails':
    case 'emails.value':
      // Emails are kept lower-cased; userName is case-insensitive (RFC 7643 §4.1.1).
      return typeof c.value === 'string' ? eq(u.email, c.value.trim().toLowerCase()) : never;
    case 'externalid':
      return typeof c.value === 'string' ? eq(m.scimExternalId, c.value) : c.value === null ? isNull(m.scimExternalId) : never;
    case 'id':
      return typeof c.value === 'string' && UUID.test(c.value) ? eq(m.id, c.value) : never;
    case 'active':
      return c.value === true ? isNull(m.deactivatedAt) : c.value === false ? isNotNull(m.deactivatedAt) : never;
    case 'displayname':
      return typeof c.value === 'string' ? eq(u.name, c.value) : never;
    default:
      return never;
  }
}

/** The groups each listed user is in, for the read-only `groups` attribute. */
export async function groupsOfUsers(tx: Tx, membershipIds: string[]): Promise<Map<string, { id: string; displayName: string }[]>> {
  const out = new Map<string, { id: string; displayName: string }[]>();
  if (!membershipIds.length) return out;
  const rows = await tx
    .select({ membershipId: schema.scimGroupMembers.membershipId, id: schema.scimGroups.id, displayName: schema.scimGroups.displayName })
    .from(schema.scimGroupMembers)
    .innerJoin(schema.scimGroups, and(eq(schema.scimGroups.tenantId, schema.scimGroupMembers.tenantId), eq(schema.scimGroups.id, schema.scimGroupMembers.groupId)))
    .where(inArray(schema.scimGroupMembers.membershipId, membershipIds))
    .orderBy(asc(schema.scimGroups.displayName));
  for (const r of rows) out.set(r.membershipId, [...(out.get(r.membershipId) ?? []), { id: r.id, displayName: r.displayName }]);
  return out;
}

/** Every member of the organisation is a SCIM user, active or deactivated, in the order they joined. */
export async function listUsers(tx: Tx, sc: ScimContext, q: { filter: string | null; startIndex: number; count: number }) {
  const where = and(eq(m.tenantId, sc.tenant.id), ...(q.filter ? parseFilter(q.filter, USER_FILTER_ATTRIBUTES).map(userCondition) : []));
  const [[total], rows] = await Promise.all([
    tx.select({ n: count() }).from(m).innerJoin(u, eq(u.id, m.userId)).where(where),
    q.count > 0
      ? tx.select(userColumns).from(m).innerJoin(u, eq(u.id, m.userId)).where(where).orderBy(asc(m.createdAt), asc(m.id)).limit(q.count).offset(q.startIndex - 1)
      : Promise.resolve([]),
  ]);
  return { total: total?.n ?? 0, rows };
}

/** One user of this organisation by id; another organisation's id, or no id at all, is 404. */
export async function findUser(tx: Tx, sc: ScimContext, id: string): Promise<ScimUser> {
  const notFound = () => new ScimError(404, 'scimNotFound', { params: { resource: 'User', id: id.slice(0, 64) } });
  if (!UUID.test(id)) throw notFound();
  const [row] = await tx.select(userColumns).from(m).innerJoin(u, eq(u.id, m.userId)).where(and(eq(m.tenantId, sc.tenant.id), eq(m.id, id))).limit(1);
  if (!row) throw notFound();
  return row;
}

const NamePart = z.string().max(NAME_MAX * 2).nullish();

/** POST and PUT bodies. Attributes Lectern does not keep (phone numbers, titles, extensions…) pass through unread. */
export const UserBody = z.looseObject({
  userName: z.string().max(320),
  externalId: z.string().max(255).nullish(),
  name: z.looseObject({ formatted: NamePart, givenName: NamePart, familyName: NamePart }).nullish(),
  displayName: NamePart,
  active: z.unknown().optional(),
});
export type UserBody = z.infer<typeof UserBody>;

/** userName is the email address a person signs in with: anything else is refused with what to change in the IdP. */
function emailOf(userName: string): string {
  const parsed = EmailSchema.safeParse(userName);
  if (!parsed.success) throw new ScimError(400, 'scimUserNameNotEmail', { scimType: 'invalidValue', params: { userName: userName.slice(0, 100) } });
  return parsed.data;
}

function cleanName(raw: string | null | undefined): string | null {
  const name = (raw ?? '').replace(/\s+/g, ' ').trim();
  return name ? name.slice(0, NAME_MAX) : null;
}

function joinName(given: string | null | undefined, family: string | null | undefined): string | null {
  return cleanName([given, family].filter(Boolean).join(' '));
}

/** The one name Lectern keeps: formatted, else given + family, else displayName. */
function nameOf(body: UserBody): string | null {
  return cleanName(body.name?.formatted) ?? joinName(body.name?.givenName, body.name?.familyName) ?? cleanName(body.displayName);
}

/**
 * Provision a person: an existing Lectern account with this email joins the organisation; otherwise an account
 * is created without a password (they choose one with "Forgot password?", or sign in through SSO). They join
 * as a learner, taking a seat unless created inactive; an open invitation for the address is withdrawn, so its
 * held seat becomes theirs.
 */
export async function createUser(tx: Tx, sc: ScimContext, raw: unknown): Promise<ScimUser> {
  const body = UserBody.parse(raw);
  const email = emailOf(body.userName);
  const active = body.active === undefined ? true : scimBoolean(body.active, 'active');
  const actor = scimActor(sc);
  const [existing] = await tx.select({ id: u.id, name: u.name }).from(u).where(eq(u.email, email)).limit(1);
  if (existing) {
    const [member] = await tx.select({ id: m.id }).from(m).where(and(eq(m.tenantId, sc.tenant.id), eq(m.userId, existing.id))).limit(1);
    if (member) throw new ScimError(409, 'scimUserExists', { scimType: 'uniqueness', params: { email, id: member.id } });
  }
  const withdrawn = await tx
    .update(schema.invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.invitations.tenantId, sc.tenant.id), eq(schema.invitations.email, email), isNull(schema.invitations.acceptedAt), isNull(schema.invitations.revokedAt)))
    .returning({ id: schema.invitations.id });
  if (active) await assertSeats(tx, sc.tenant.id, { add: 1 });
  try {
    const userId =
      existing?.id ??
      (await tx
        .insert(u)
        .values({ email, name: nameOf(body) ?? email.split('@')[0]!, passwordHash: null })
        .returning({ id: u.id }))[0]!.id;
    const [membership] = await tx
      .insert(m)
      .values({ tenantId: sc.tenant.id, userId, role: 'learner', scimExternalId: body.externalId ?? null, deactivatedAt: active ? null : new Date() })
      .returning({ id: m.id });
    await recordAudit(tx, actor, {
      action: 'scim.user.created',
      targetType: 'member',
      targetId: membership!.id,
      targetLabel: email,
      after: { email, role: 'learner', active, existingAccount: Boolean(existing), ...(withdrawn.length ? { invitationsWithdrawn: withdrawn.length } : {}) },
    });
    await emit(tx, sc.tenant.id, 'lectern/member.joined.v1', { membershipId: membership!.id, userId, role: 'learner' });
    return findUser(tx, sc, membership!.id);
  } catch (e) {
    // Two requests provisioning the same address at once: the second is told it exists (the IdP then looks it up).
    if (isUniqueViolation(e)) throw new ScimError(409, 'scimUserExists', { scimType: 'uniqueness', params: { email, id: '?' } });
    throw e;
  }
}

type Desired = { email: string; name: string; externalId: string | null; active: boolean };

/**
 * Bring a user to the desired state. The email is the person's sign-in for every organisation they belong to,
 * so one organisation's provisioning cannot change it (refused, with what to do instead). The name is updated.
 */
async function applyUserChanges(tx: Tx, sc: ScimContext, current: ScimUser, desired: Desired): Promise<ScimUser> {
  if (desired.email !== current.email) throw new ScimError(400, 'scimEmailImmutable', { scimType: 'mutability', params: { email: current.email } });
  const actor = scimActor(sc);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (desired.name !== current.name) {
    await tx.update(u).set({ name: desired.name }).where(eq(u.id, current.userId));
    before.name = current.name;
    after.name = desired.name;
  }
  if (desired.externalId !== current.externalId || after.name !== undefined) {
    // Also on a name change alone: the membership's updated_at (meta.lastModified, `updated_since`) must move.
    await tx.update(m).set({ scimExternalId: desired.externalId }).where(and(eq(m.tenantId, sc.tenant.id), eq(m.id, current.id)));
  }
  if (desired.externalId !== current.externalId) {
    before.externalId = current.externalId;
    after.externalId = desired.externalId;
  }
  if (Object.keys(after).length) {
    await recordAudit(tx, actor, { action: 'scim.user.updated', targetType: 'member', targetId: current.id, targetLabel: current.email, before, after });
  }
  await setMembershipActive(tx, actor, current.id, desired.active);
  return findUser(tx, sc, current.id);
}

/** PUT: the IdP's full picture of the user. Attributes it leaves out (externalId, active) are kept, not cleared. */
export async function replaceUser(tx: Tx, sc: ScimContext, id: string, raw: unknown): Promise<ScimUser> {
  const current = await findUser(tx, sc, id);
  const body = UserBody.parse(raw);
  return applyUserChanges(tx, sc, current, {
    email: emailOf(body.userName),
    name: nameOf(body) ?? current.name,
    externalId: body.externalId === undefined ? current.externalId : body.externalId,
    active: body.active === undefined ? current.deactivatedAt === null : scimBoolean(body.active, 'active'),
  });
}

/** PATCH in Okta's or Entra's style (see patch.ts). */
export async function patchUser(tx: Tx, sc: ScimContext, id: string, operations: readonly PatchOperation[]): Promise<ScimUser> {
  const current = await findUser(tx, sc, id);
  const split = splitName(current.name);
  const state: UserPatchState = applyUserPatch(
    {
      userName: current.email,
      externalId: current.externalId,
      active: current.deactivatedAt === null,
      displayName: current.name,
      name: { formatted: current.name, givenName: split.givenName, familyName: split.familyName },
      touched: new Set(),
    },
    operations,
  );
  const { touched } = state;
  const name =
    (touched.has('formatted') ? cleanName(state.name.formatted) : null) ??
    (touched.has('givenName') || touched.has('familyName') ? joinName(state.name.givenName, state.name.familyName) : null) ??
    (touched.has('displayName') ? cleanName(state.displayName) : null) ??
    current.name;
  return applyUserChanges(tx, sc, current, { email: emailOf(state.userName), name, externalId: state.externalId, active: state.active });
}

/** DELETE deactivates: Lectern keeps the member's history (enrolments, grades, certificates). */
export async function deleteUser(tx: Tx, sc: ScimContext, id: string): Promise<void> {
  const current = await findUser(tx, sc, id);
  await setMembershipActive(tx, scimActor(sc), current.id, false);
}
