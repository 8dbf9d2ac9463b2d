import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { authenticate } from '@/lib/auth/sign-in';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import {
  acceptInvitation,
  changeRole,
  inviteMember,
  listMembers,
  listPendingInvitations,
  MEMBERS_PAGE_SIZE,
  removeMember,
  revokeInvitation,
  selfSignUp,
  viewInvitation,
} from '@/lib/members/service';
import type { Role } from '@/lib/members/roles';
import { as, addMember, hostOf, makeOrg, memberContext, PASSWORD, tokenFromLink, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


async function invite(ctx: MemberContext, email: string, role: Role) {
  const { link } = await as(ctx, (tx, c) => inviteMember(tx, c, { email, role }));
  return tokenFromLink(link, 'invite');
}

async function roleOf(tenantId: string, membershipId: string): Promise<string | undefined> {
  const [row] = await owner`select role from memberships where tenant_id = ${tenantId} and id = ${membershipId}`;
  return row?.role as string | undefined;
}

async function auditFor(tenantId: string, action: string) {
  return owner`select actor_user_id, actor_label, target_id, target_label, before, after from audit_log where tenant_id = ${tenantId} and action = ${action} order by created_at`;
}

/**
 * The worst interleaving, on purpose: hold the given membership rows, start every request, wait until
 * all of them are queued on those locks, then let them go at the same instant.
 */
async function atTheSameInstant<T>(tenantId: string, membershipIds: string[], requests: (() => Promise<T>)[]) {
  let settled!: Promise<PromiseSettledResult<T>[]>;
  await owner.begin(async (hold) => {
    await hold`select id from memberships where tenant_id = ${tenantId} and id = any(${membershipIds}::uuid[]) for update`;
    settled = Promise.allSettled(requests.map((r) => r()));
    for (let waited = 0; ; waited += 10) {
      const n = (await hold`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)[0]!.n as number;
      if (n >= requests.length) break;
      if (waited > 5000) throw new Error(`only ${n} of ${requests.length} requests queued on the held rows`);
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  return settled;
}

describe('listMembers', () => {
  let org: Org;
  beforeAll(async () => {
    org = await makeOrg('listing', { ownerName: 'Zed Owner' });
    await addMember(org.tenant, 'admin', { name: 'Ada Lovelace', email: 'ada@listing.test' });
    await addMember(org.tenant, 'instructor', { name: 'Grace Hopper', email: 'grace@navy.test' });
    await addMember(org.tenant, 'instructor', { name: '100% Pure', email: 'pure@listing.test' });
    await addMember(org.tenant, 'learner', { name: 'Under_Score', email: 'underscore@listing.test' });
    await addMember(org.tenant, 'learner', { name: 'UnderXScore', email: 'underx@listing.test' });
    await addMember(org.tenant, 'learner', { name: 'Back\\slash', email: 'backslash@listing.test' });
    // Enough learners for a second page.
    for (let i = 1; i <= 20; i++) await addMember(org.tenant, 'learner', { name: `Learner ${String(i).padStart(2, '0')}`, email: `learner${i}@listing.test` });
  });

  const list = (input: Parameters<typeof listMembers>[2]) => as(org.owner, (tx, c) => listMembers(tx, c, input));

  it('pages through everyone, 20 at a time, sorted by name, with the total', async () => {
    const first = await list({});
    expect(first.total).toBe(27);
    expect(first.pageSize).toBe(MEMBERS_PAGE_SIZE);
    expect(first.rows).toHaveLength(20);
    const second = await list({ page: 2 });
    expect(second.rows).toHaveLength(7);
    expect(second.total).toBe(27);
    const all = [...first.rows, ...second.rows].map((r) => r.name);
    expect(new Set(all).size).toBe(27);
    // Sorted by name (checked on names every collation orders alike).
    const plain = ['Ada Lovelace', 'Grace Hopper', ...Array.from({ length: 20 }, (_, i) => `Learner ${String(i + 1).padStart(2, '0')}`), 'Zed Owner'];
    expect(all.filter((n) => plain.includes(n))).toEqual(plain);
    expect((await list({ page: 3 })).rows).toHaveLength(0);
  });

  it('treats a nonsense page number as page 1', async () => {
    const page = await list({ page: 'abc' as unknown as number });
    expect(page.page).toBe(1);
    expect(page.rows).toHaveLength(20);
  });

  it('searches names and emails, ignoring case', async () => {
    expect((await list({ q: 'ADA' })).rows.map((r) => r.email)).toEqual(['ada@listing.test']);
    expect((await list({ q: 'navy.TEST' })).rows.map((r) => r.name)).toEqual(['Grace Hopper']);
    expect((await list({ q: '  hopper ' })).total).toBe(1);
    expect((await list({ q: 'nobody-matches-this' })).total).toBe(0);
  });

  it('treats % and _ and \\ in the search as plain characters', async () => {
    expect((await list({ q: '%' })).rows.map((r) => r.name)).toEqual(['100% Pure']);
    expect((await list({ q: 'under_' })).rows.map((r) => r.name)).toEqual(['Under_Score']);
    expect((await list({ q: '\\' })).rows.map((r) => r.name)).toEqual(['Back\\slash']);
  });

  it('filters by role', async () => {
    const instructors = await list({ role: 'instructor' });
    expect(instructors.total).toBe(2);
    expect(instructors.rows.map((r) => r.role)).toEqual(['instructor', 'instructor']);
    expect((await list({ role: 'owner' })).rows.map((r) => r.name)).toEqual(['Zed Owner']);
    expect((await list({ role: 'learner', q: 'under' })).total).toBe(2);
  });

  it('shows only this organisation’s members', async () => {
    const other = await makeOrg('listing-other');
    await addMember(other.tenant, 'learner', { name: 'Ada Elsewhere', email: 'ada@elsewhere.test' });
    expect((await list({ q: 'ada' })).rows.map((r) => r.email)).toEqual(['ada@listing.test']);
    expect((await as(other.owner, (tx, c) => listMembers(tx, c, {}))).total).toBe(2);
  });

  it('is refused to learners and instructors', async () => {
    for (const role of ['learner', 'instructor'] as const) {
      const ctx = await addMember(org.tenant, role);
      await expect(as(ctx, (tx, c) => listMembers(tx, c, {}))).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
});

describe('invitations', () => {
  let org: Org;
  let admin: MemberContext;
  beforeAll(async () => {
    org = await makeOrg('inviting');
    admin = await addMember(org.tenant, 'admin');
  });

  it('emails the invitee a link that opens a valid invitation', async () => {
    const { invitationId, link } = await as(admin, (tx, c) => inviteMember(tx, c, { email: 'new@person.test', role: 'instructor' }));
    expect(link).toMatch(/^http:\/\/inviting\.localhost:3000\/invite\/[A-Za-z0-9_-]+$/);
    const mails = await owner`select "to", subject, text from emails where tenant_id = ${org.tenant.id} and "to" = 'new@person.test'`;
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Inviting');
    expect(mails[0]!.text).toContain(link);
    expect(mails[0]!.text).toContain('instructor');
    const token = tokenFromLink(mails[0]!.text as string, 'invite');
    expect(await viewInvitation(org.tenant, token)).toEqual({ status: 'valid', email: 'new@person.test', role: 'instructor', hasAccount: false });
    const [audit] = await auditFor(org.tenant.id, 'member.invited');
    expect(audit).toMatchObject({ actor_user_id: admin.user.id, target_id: invitationId, after: { email: 'new@person.test', role: 'instructor' } });
    const [event] = await owner`select payload from outbox where tenant_id = ${org.tenant.id} and name = 'lectern/member.invited.v1'`;
    expect(event!.payload).toMatchObject({ invitationId, email: 'new@person.test', role: 'instructor' });
    expect((await as(admin, (tx, c) => listPendingInvitations(tx, c))).map((i) => i.email)).toContain('new@person.test');
  });

  it('stays valid after the admin who sent it leaves the organisation', async () => {
    const leaving = await addMember(org.tenant, 'admin');
    const { link } = await as(leaving, (tx, c) => inviteMember(tx, c, { email: 'outlives@inviter.test', role: 'learner' }));
    await as(org.owner, (tx, c) => removeMember(tx, c, { membershipId: leaving.membershipId }));
    const view = await viewInvitation(org.tenant, tokenFromLink(link, 'invite'));
    expect(view).toMatchObject({ status: 'valid', email: 'outlives@inviter.test' });
    expect((await as(admin, (tx, c) => listPendingInvitations(tx, c))).map((i) => i.email)).toContain('outlives@inviter.test');
  });

  it('replaces an earlier pending invitation for the same address', async () => {
    const first = await invite(admin, 'twice@person.test', 'learner');
    const second = await invite(admin, 'twice@person.test', 'instructor');
    expect(await viewInvitation(org.tenant, first)).toEqual({ status: 'revoked' });
    expect(await viewInvitation(org.tenant, second)).toMatchObject({ status: 'valid', role: 'instructor' });
    const pending = (await as(admin, (tx, c) => listPendingInvitations(tx, c))).filter((i) => i.email === 'twice@person.test');
    expect(pending.map((i) => i.role)).toEqual(['instructor']);
  });

  it('refuses to invite someone who is already a member', async () => {
    const member = await addMember(org.tenant, 'learner');
    const attempt = as(admin, (tx, c) => inviteMember(tx, c, { email: member.user.email, role: 'admin' }));
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ field: 'email' });
    const mails = await owner`select 1 from emails where "to" = ${member.user.email}`;
    expect(mails).toHaveLength(0);
  });

  it('lets only owners invite owners', async () => {
    await expect(as(admin, (tx, c) => inviteMember(tx, c, { email: 'boss@person.test', role: 'owner' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await owner`select 1 from invitations where email = 'boss@person.test'`).toHaveLength(0);
    const token = await invite(org.owner, 'boss@person.test', 'owner');
    expect(await viewInvitation(org.tenant, token)).toMatchObject({ status: 'valid', role: 'owner' });
  });

  it('does not let an admin cancel a pending owner invitation by re-inviting the address', async () => {
    const token = await invite(org.owner, 'future-owner@person.test', 'owner');
    await expect(as(admin, (tx, c) => inviteMember(tx, c, { email: 'future-owner@person.test', role: 'learner' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await viewInvitation(org.tenant, token)).toMatchObject({ status: 'valid', role: 'owner' });
  });

  it('is refused to learners and instructors', async () => {
    for (const role of ['learner', 'instructor'] as const) {
      const ctx = await addMember(org.tenant, role);
      await expect(as(ctx, (tx, c) => inviteMember(tx, c, { email: `by-${role}@person.test`, role: 'learner' }))).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await owner`select 1 from invitations where email like 'by-%'`).toHaveLength(0);
  });

  it('can be revoked by an admin, once, with an audit row', async () => {
    const { invitationId, link } = await as(admin, (tx, c) => inviteMember(tx, c, { email: 'revoke-me@person.test', role: 'learner' }));
    await as(admin, (tx, c) => revokeInvitation(tx, c, { invitationId }));
    expect(await viewInvitation(org.tenant, tokenFromLink(link, 'invite'))).toEqual({ status: 'revoked' });
    expect((await auditFor(org.tenant.id, 'invitation.revoked')).map((r) => r.target_label)).toContain('revoke-me@person.test');
    await expect(as(admin, (tx, c) => revokeInvitation(tx, c, { invitationId }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('does not let an admin revoke an owner invitation', async () => {
    const { invitationId, link } = await as(org.owner, (tx, c) => inviteMember(tx, c, { email: 'owner-to-be@person.test', role: 'owner' }));
    await expect(as(admin, (tx, c) => revokeInvitation(tx, c, { invitationId }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await viewInvitation(org.tenant, tokenFromLink(link, 'invite'))).toMatchObject({ status: 'valid' });
  });

  it('cannot revoke another organisation’s invitation', async () => {
    const other = await makeOrg('inviting-other');
    const { invitationId, link } = await as(other.owner, (tx, c) => inviteMember(tx, c, { email: 'theirs@person.test', role: 'learner' }));
    await expect(as(org.owner, (tx, c) => revokeInvitation(tx, c, { invitationId }))).rejects.toBeInstanceOf(NotFoundError);
    expect(await viewInvitation(other.tenant, tokenFromLink(link, 'invite'))).toMatchObject({ status: 'valid' });
    // ...and its token means nothing on this organisation.
    expect(await viewInvitation(org.tenant, tokenFromLink(link, 'invite'))).toEqual({ status: 'unknown' });
  });

  it('reports expired, unknown and used invitations', async () => {
    const token = await invite(admin, 'late@person.test', 'learner');
    await owner`update invitations set expires_at = now() - interval '1 minute' where email = 'late@person.test'`;
    expect(await viewInvitation(org.tenant, token)).toEqual({ status: 'expired' });
    await expect(acceptInvitation(org.tenant, { token, name: 'Late', password: PASSWORD })).rejects.toThrow(/expired/);
    expect(await viewInvitation(org.tenant, 'no-such-token')).toEqual({ status: 'unknown' });
    expect(await viewInvitation(org.tenant, 'x'.repeat(500))).toEqual({ status: 'unknown' });
    const used = await invite(admin, 'prompt@person.test', 'learner');
    await acceptInvitation(org.tenant, { token: used, name: 'Prompt', password: PASSWORD });
    expect(await viewInvitation(org.tenant, used)).toEqual({ status: 'used' });
  });
});

describe('acceptInvitation', () => {
  let org: Org;
  beforeAll(async () => {
    org = await makeOrg('joining');
  });

  it('creates the account and membership with the invited role for a new person, who can then sign in', async () => {
    const token = await invite(org.owner, 'newbie@person.test', 'instructor');
    await expect(acceptInvitation(org.tenant, { token, name: '  Newbie Person ', password: 'newbie-password-1' })).resolves.toEqual({ email: 'newbie@person.test' });

    const [row] = await owner`select u.name, m.role, m.id from users u join memberships m on m.user_id = u.id where u.email = 'newbie@person.test' and m.tenant_id = ${org.tenant.id}`;
    expect(row).toMatchObject({ name: 'Newbie Person', role: 'instructor' });
    const [inv] = await owner`select accepted_at from invitations where tenant_id = ${org.tenant.id} and email = 'newbie@person.test'`;
    expect(inv!.accepted_at).toBeInstanceOf(Date);
    const [audit] = await auditFor(org.tenant.id, 'invitation.accepted');
    expect(audit).toMatchObject({ target_id: row!.id, target_label: 'newbie@person.test', after: { email: 'newbie@person.test', role: 'instructor' } });
    expect(audit!.actor_label).toBe('Newbie Person <newbie@person.test>');
    await expect(authenticate(hostOf('joining'), 'newbie@person.test', 'newbie-password-1')).resolves.toMatchObject({ tenantId: org.tenant.id });
  });

  it('needs a name from a new person', async () => {
    const token = await invite(org.owner, 'nameless@person.test', 'learner');
    await expect(acceptInvitation(org.tenant, { token, name: '  ', password: PASSWORD })).rejects.toMatchObject({ field: 'name' });
    expect(await owner`select 1 from users where email = 'nameless@person.test'`).toHaveLength(0);
    expect(await viewInvitation(org.tenant, token)).toMatchObject({ status: 'valid', hasAccount: false });
  });

  it('asks someone with an account elsewhere for their existing password', async () => {
    const elsewhere = await makeOrg('elsewhere', { email: 'known@person.test', ownerName: 'Known Person' });
    const token = await invite(org.owner, 'known@person.test', 'learner');
    expect(await viewInvitation(org.tenant, token)).toEqual({ status: 'valid', email: 'known@person.test', role: 'learner', hasAccount: true });

    const wrong = acceptInvitation(org.tenant, { token, password: 'a-different-password' });
    await expect(wrong).rejects.toBeInstanceOf(ValidationError);
    await expect(wrong).rejects.toMatchObject({ field: 'password' });
    expect(await owner`select 1 from memberships where tenant_id = ${org.tenant.id} and user_id = ${elsewhere.owner.user.id}`).toHaveLength(0);

    await acceptInvitation(org.tenant, { token, name: 'Ignored Name', password: PASSWORD });
    const [row] = await owner`select m.role, u.name from memberships m join users u on u.id = m.user_id where m.tenant_id = ${org.tenant.id} and m.user_id = ${elsewhere.owner.user.id}`;
    expect(row).toEqual({ role: 'learner', name: 'Known Person' });
    expect(await owner`select 1 from users where email = 'known@person.test'`).toHaveLength(1);
    // Still the owner at home.
    expect(await roleOf(elsewhere.tenant.id, elsewhere.owner.membershipId)).toBe('owner');
  });

  it('works only once', async () => {
    const token = await invite(org.owner, 'once@person.test', 'learner');
    await acceptInvitation(org.tenant, { token, name: 'Once', password: PASSWORD });
    const again = acceptInvitation(org.tenant, { token, name: 'Once', password: PASSWORD });
    await expect(again).rejects.toBeInstanceOf(ValidationError);
    await expect(again).rejects.toThrow(/already accepted/);
    expect(await owner`select 1 from memberships m join users u on u.id = m.user_id where u.email = 'once@person.test'`).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous accepts through', async () => {
    const token = await invite(org.owner, 'race@person.test', 'learner');
    const results = await Promise.allSettled([
      acceptInvitation(org.tenant, { token, name: 'Racer', password: PASSWORD }),
      acceptInvitation(org.tenant, { token, name: 'Racer', password: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // The loser hears what a second click a moment later would: already accepted, not a database error.
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ValidationError);
    expect(rejected.reason).toMatchObject({ message: expect.stringMatching(/already accepted/) });
    expect(await owner`select 1 from memberships m join users u on u.id = m.user_id where u.email = 'race@person.test'`).toHaveLength(1);
  });

  it('refuses a token from another organisation', async () => {
    const other = await makeOrg('joining-other');
    const token = await invite(other.owner, 'wanderer@person.test', 'admin');
    await expect(acceptInvitation(org.tenant, { token, name: 'Wanderer', password: PASSWORD })).rejects.toMatchObject({ field: 'token' });
    expect(await owner`select 1 from users where email = 'wanderer@person.test'`).toHaveLength(0);
  });
});

describe('changeRole and removeMember', () => {
  let org: Org;
  let admin: MemberContext;
  beforeAll(async () => {
    org = await makeOrg('roles');
    admin = await addMember(org.tenant, 'admin');
  });

  it('changes a role and audits before → after', async () => {
    const member = await addMember(org.tenant, 'learner');
    await as(admin, (tx, c) => changeRole(tx, c, { membershipId: member.membershipId, role: 'instructor' }));
    expect(await roleOf(org.tenant.id, member.membershipId)).toBe('instructor');
    const audits = (await auditFor(org.tenant.id, 'member.role_changed')).filter((r) => r.target_id === member.membershipId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_user_id: admin.user.id, target_label: member.user.email, before: { role: 'learner' }, after: { role: 'instructor' } });
    const [event] = await owner`select payload from outbox where tenant_id = ${org.tenant.id} and name = 'lectern/member.role_changed.v1' and payload->>'membershipId' = ${member.membershipId}`;
    expect(event!.payload).toMatchObject({ from: 'learner', to: 'instructor' });
  });

  it('does nothing (and audits nothing) when the role is unchanged', async () => {
    const member = await addMember(org.tenant, 'learner');
    await as(admin, (tx, c) => changeRole(tx, c, { membershipId: member.membershipId, role: 'learner' }));
    expect((await auditFor(org.tenant.id, 'member.role_changed')).filter((r) => r.target_id === member.membershipId)).toHaveLength(0);
  });

  it('is refused to instructors', async () => {
    const instructor = await addMember(org.tenant, 'instructor');
    const member = await addMember(org.tenant, 'learner');
    await expect(as(instructor, (tx, c) => changeRole(tx, c, { membershipId: member.membershipId, role: 'admin' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(instructor, (tx, c) => removeMember(tx, c, { membershipId: member.membershipId }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await roleOf(org.tenant.id, member.membershipId)).toBe('learner');
  });

  it('does not let an admin promote to, demote or remove an owner', async () => {
    const member = await addMember(org.tenant, 'learner');
    await expect(as(admin, (tx, c) => changeRole(tx, c, { membershipId: member.membershipId, role: 'owner' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(admin, (tx, c) => changeRole(tx, c, { membershipId: org.owner.membershipId, role: 'learner' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(admin, (tx, c) => removeMember(tx, c, { membershipId: org.owner.membershipId }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await roleOf(org.tenant.id, member.membershipId)).toBe('learner');
    expect(await roleOf(org.tenant.id, org.owner.membershipId)).toBe('owner');
  });

  it('keeps the last owner: no demotion, no removal', async () => {
    const solo = await makeOrg('solo');
    const demote = as(solo.owner, (tx, c) => changeRole(tx, c, { membershipId: solo.owner.membershipId, role: 'admin' }));
    await expect(demote).rejects.toBeInstanceOf(ConflictError);
    await expect(demote).rejects.toThrow(/at least one owner/);
    await expect(as(solo.owner, (tx, c) => removeMember(tx, c, { membershipId: solo.owner.membershipId }))).rejects.toBeInstanceOf(ConflictError);
    expect(await roleOf(solo.tenant.id, solo.owner.membershipId)).toBe('owner');
  });

  it('lets one of two owners step down or be removed', async () => {
    const duo = await makeOrg('duo');
    const second = await addMember(duo.tenant, 'owner');
    await as(duo.owner, (tx, c) => changeRole(tx, c, { membershipId: second.membershipId, role: 'admin' }));
    expect(await roleOf(duo.tenant.id, second.membershipId)).toBe('admin');
    // Now the first owner is the last one again.
    await expect(as(duo.owner, (tx, c) => changeRole(tx, c, { membershipId: duo.owner.membershipId, role: 'admin' }))).rejects.toBeInstanceOf(ConflictError);

    const third = await addMember(duo.tenant, 'owner');
    await as(third, (tx, c) => removeMember(tx, c, { membershipId: duo.owner.membershipId }));
    expect(await roleOf(duo.tenant.id, duo.owner.membershipId)).toBeUndefined();
  });

  it('leaves exactly one owner when two owners demote each other at the same time', async () => {
    const pair = await makeOrg('pair');
    const other = await addMember(pair.tenant, 'owner');
    const results = await atTheSameInstant(pair.tenant.id, [pair.owner.membershipId, other.membershipId], [
      () => as(pair.owner, (tx, c) => changeRole(tx, c, { membershipId: other.membershipId, role: 'admin' })),
      () => as(other, (tx, c) => changeRole(tx, c, { membershipId: pair.owner.membershipId, role: 'admin' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    // The loser is told why, not handed a database error (such as a deadlock).
    expect(loser.reason).toBeInstanceOf(ConflictError);
    const owners = await owner`select id from memberships where tenant_id = ${pair.tenant.id} and role = 'owner'`;
    expect(owners).toHaveLength(1);
  });

  it('leaves exactly one owner when two owners remove each other at the same time', async () => {
    const pair = await makeOrg('pair-remove');
    const other = await addMember(pair.tenant, 'owner');
    const results = await atTheSameInstant(pair.tenant.id, [pair.owner.membershipId, other.membershipId], [
      () => as(pair.owner, (tx, c) => removeMember(tx, c, { membershipId: other.membershipId })),
      () => as(other, (tx, c) => removeMember(tx, c, { membershipId: pair.owner.membershipId })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const owners = await owner`select id from memberships where tenant_id = ${pair.tenant.id} and role = 'owner'`;
    expect(owners).toHaveLength(1);
  });

  it('removes a member: their membership is gone, they cannot sign in here, and it is audited', async () => {
    const member = await addMember(org.tenant, 'instructor');
    await as(admin, (tx, c) => removeMember(tx, c, { membershipId: member.membershipId }));
    expect(await owner`select 1 from memberships where tenant_id = ${org.tenant.id} and id = ${member.membershipId}`).toHaveLength(0);
    await expect(memberContext(org.tenant, member.user.email)).rejects.toThrow(/not a member/);
    await expect(authenticate(hostOf('roles'), member.user.email, PASSWORD)).rejects.toMatchObject({ failure: { reason: 'invalid' } });
    const [audit] = (await auditFor(org.tenant.id, 'member.removed')).filter((r) => r.target_id === member.membershipId);
    expect(audit).toMatchObject({ actor_user_id: admin.user.id, before: { email: member.user.email, role: 'instructor' } });
    // Their account itself survives (they may belong elsewhere).
    expect(await owner`select 1 from users where id = ${member.user.id}`).toHaveLength(1);
    await expect(as(admin, (tx, c) => removeMember(tx, c, { membershipId: member.membershipId }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('cannot touch another organisation’s members', async () => {
    const other = await makeOrg('roles-other');
    const theirs = await addMember(other.tenant, 'learner');
    await expect(as(org.owner, (tx, c) => changeRole(tx, c, { membershipId: theirs.membershipId, role: 'admin' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(org.owner, (tx, c) => removeMember(tx, c, { membershipId: theirs.membershipId }))).rejects.toBeInstanceOf(NotFoundError);
    expect(await roleOf(other.tenant.id, theirs.membershipId)).toBe('learner');
  });
});

describe('selfSignUp', () => {
  it('is refused unless the organisation allows it, then makes a learner', async () => {
    const org = await makeOrg('open-door');
    const input = { name: 'Walk In', email: 'walk-in@person.test', password: 'walk-in-password' };
    const refused = selfSignUp(org.tenant, input);
    await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refused).rejects.toThrow(/invitation/);
    expect(await owner`select 1 from users where email = 'walk-in@person.test'`).toHaveLength(0);

    await owner`update tenant_settings set allow_self_signup = true where tenant_id = ${org.tenant.id}`;
    await selfSignUp(org.tenant, input);
    const [row] = await owner`select m.role, u.name from memberships m join users u on u.id = m.user_id where m.tenant_id = ${org.tenant.id} and u.email = 'walk-in@person.test'`;
    expect(row).toEqual({ role: 'learner', name: 'Walk In' });
    await expect(authenticate(hostOf('open-door'), input.email, input.password)).resolves.toMatchObject({ tenantId: org.tenant.id });
    await expect(selfSignUp(org.tenant, input)).rejects.toBeInstanceOf(ConflictError);
  });

  it('does not let a stranger attach someone else’s existing account', async () => {
    const org = await makeOrg('open-door-two');
    await owner`update tenant_settings set allow_self_signup = true where tenant_id = ${org.tenant.id}`;
    const victim = await makeOrg('victim-org', { email: 'victim@person.test' });
    await expect(selfSignUp(org.tenant, { name: 'Imposter', email: 'victim@person.test', password: 'guessing-password' })).rejects.toMatchObject({ code: 'accountExistsJoin', field: 'password' });
    expect(await owner`select 1 from memberships where tenant_id = ${org.tenant.id} and user_id = ${victim.owner.user.id}`).toHaveLength(0);
  });
});
