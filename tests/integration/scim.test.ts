/**
 * SCIM 2.0 provisioning driven the way Okta and Microsoft Entra ID drive it, through the real route handler
 * with Request objects: discovery, the user life cycle (create, find, replace, patch in both styles, deactivate,
 * reactivate, delete), groups mapped to roles and courses, tokens, cross-organisation attempts, malformed input
 * and the plan's seat limit.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DELETE, GET, PATCH, POST, PUT } from '@/app/scim/v2/[...path]/route';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { memberIn } from '@/lib/auth/guard';
import { authenticate, SignInError } from '@/lib/auth/sign-in';
import { seatUsage } from '@/lib/billing/entitlements';
import { reactivateMember } from '@/lib/members/activation';
import { listMembers } from '@/lib/members/service';
import { mapGroup, provisioningActivity } from '@/lib/scim/mapping';
import { createScimToken, revokeScimToken } from '@/lib/scim/tokens';
import { shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, hostOf, makeOrg, PASSWORD, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// The guard's memberIn is what every session check runs; Auth.js itself (which Node cannot load outside Next) is not needed.
vi.mock('@/lib/auth/index', () => ({ auth: async () => null }));

const owner = ownerSql();
afterAll(() => owner.end());

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const HANDLERS = { GET, POST, PUT, PATCH, DELETE } as const;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type ScimAnswer = { status: number; body: Json; headers: Headers };

/** One SCIM request, as an identity provider sends it (any host: the token names the organisation). */
async function scim(token: string | null, method: keyof typeof HANDLERS, path: string, body?: unknown, opts: { raw?: string; host?: string } = {}): Promise<ScimAnswer> {
  const headers: Record<string, string> = { accept: 'application/scim+json', host: opts.host ?? 'idp-caller.example' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/scim+json';
  const req = new Request(`http://localhost:3000/scim/v2/${path}`, { method, headers, body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const [pathname] = path.split('?');
  const res = await HANDLERS[method](req, { params: Promise.resolve({ path: pathname!.split('/').map(decodeURIComponent) }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

const q = (filter: string) => encodeURIComponent(filter);
const okta = (value: Json) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value }] });
const entra = (...ops: { op: string; path?: string; value?: unknown }[]) => ({ schemas: [PATCH_OP], Operations: ops });

function expectScimError(answer: ScimAnswer, status: number, scimType?: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/scim+json');
  expect(answer.body.schemas).toEqual([ERROR]);
  expect(answer.body.status).toBe(String(status));
  if (scimType) expect(answer.body.scimType).toBe(scimType);
  expect(typeof answer.body.detail).toBe('string');
}

async function newToken(org: Org, name = 'Okta'): Promise<{ token: string; prefix: string; id: string }> {
  return as(org.owner, (tx, ctx) => createScimToken(tx, ctx, { name }));
}

async function signInFails(tenantSlug: string, email: string) {
  const e = await authenticate(hostOf(tenantSlug), email, PASSWORD).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `${email} should not be able to sign in to ${tenantSlug}`).toBeInstanceOf(SignInError);
}

async function roleOf(tenantId: string, membershipId: string): Promise<string> {
  const [row] = await owner`select role from memberships where tenant_id = ${tenantId} and id = ${membershipId}`;
  return row!.role as string;
}

async function enrolmentOf(courseId: string, email: string): Promise<{ role: string; status: string } | undefined> {
  const [row] = await owner`select e.role, e.status from enrolments e join users u on u.id = e.user_id where e.course_id = ${courseId} and u.email = ${email}`;
  return row as { role: string; status: string } | undefined;
}

let acme: Org;
let globex: Org;
let acmeToken: string;
let acmePrefix: string;
let globexToken: string;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  ({ token: acmeToken, prefix: acmePrefix } = await newToken(acme));
  ({ token: globexToken } = await newToken(globex, 'Entra'));
});

describe('tokens', () => {
  it('are shaped scim_<org>_<32 base62>, stored only as a hash with a visible prefix', async () => {
    expect(acmeToken).toMatch(/^scim_acme_[A-Za-z0-9]{32}$/);
    expect(acmePrefix).toBe(acmeToken.slice(0, 'scim_acme_'.length + 8));
    const rows = await owner`select prefix, secret_hash from scim_tokens where tenant_id = ${acme.tenant.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(acmeToken);
  });

  it('refuses a missing, malformed, unknown or revoked token with 401 and a SCIM error', async () => {
    for (const token of [null, 'nope', `scim_acme_${'A'.repeat(32)}`, `scim_nosuchorg_${'A'.repeat(32)}`, acmeToken.replace('scim_acme_', 'scim_globex_')]) {
      const answer = await scim(token, 'GET', 'Users');
      expectScimError(answer, 401);
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
    const spare = await newToken(acme, 'Spare');
    expect((await scim(spare.token, 'GET', 'Users')).status).toBe(200);
    const [used] = await owner`select last_used_at from scim_tokens where id = ${spare.id}`;
    expect(used!.last_used_at).toBeInstanceOf(Date);
    await as(acme.owner, (tx, ctx) => revokeScimToken(tx, ctx, { tokenId: spare.id }));
    expectScimError(await scim(spare.token, 'GET', 'Users'), 401);
  });

  it('may be made and revoked by admins only', async () => {
    const learner = await addMember(acme.tenant, 'learner');
    await expect(as(learner, (tx, ctx) => createScimToken(tx, ctx, { name: 'Sneaky' }))).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('discovery', () => {
  it('serves ServiceProviderConfig, ResourceTypes and Schemas as application/scim+json', async () => {
    const spc = await scim(acmeToken, 'GET', 'ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(spc.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 100 }, bulk: { supported: false }, authenticationSchemes: [{ type: 'oauthbearertoken' }] });

    const types = await scim(acmeToken, 'GET', 'ResourceTypes');
    expect(types.body.totalResults).toBe(2);
    expect(types.body.Resources.map((r: Json) => [r.id, r.endpoint, r.schema])).toEqual([
      ['User', '/Users', USER],
      ['Group', '/Groups', GROUP],
    ]);
    expect((await scim(acmeToken, 'GET', 'ResourceTypes/User')).body.endpoint).toBe('/Users');

    const schemas = await scim(acmeToken, 'GET', 'Schemas');
    expect(schemas.body.Resources.map((s: Json) => s.id)).toEqual([USER, GROUP]);
    const userSchema = await scim(acmeToken, 'GET', `Schemas/${USER}`);
    expect(userSchema.body.attributes.find((a: Json) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
    expectScimError(await scim(acmeToken, 'GET', 'Schemas/urn:nope'), 404);
  });

  it('answers unknown endpoints with 404 and Bulk with 501, as SCIM errors', async () => {
    expectScimError(await scim(acmeToken, 'GET', 'Widgets'), 404);
    expectScimError(await scim(acmeToken, 'POST', 'Bulk', { Operations: [] }), 501);
    expectScimError(await scim(acmeToken, 'DELETE', 'ServiceProviderConfig'), 405);
  });
});

describe('the user life cycle', () => {
  let id: string;
  let location: string;
  // An existing Lectern account (a member of globex, with a password): provisioning makes them join acme.
  let person: MemberContext;

  beforeAll(async () => {
    person = await addMember(globex.tenant, 'learner', { email: 'ada@corp.test', name: 'Ada Byron' });
  });

  it('creates a user: 201, Location, meta, a learner of this organisation, audited as the token', async () => {
    const seatsBefore = await withTenant(acme.tenant.id, (tx) => seatUsage(tx, acme.tenant.id));
    const answer = await scim(acmeToken, 'POST', 'Users', {
      schemas: [USER],
      userName: 'Ada@Corp.test',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ primary: true, value: 'ada@corp.test', type: 'work' }],
      externalId: '00u1okta',
      active: true,
      phoneNumbers: [{ value: '+44 20 0000 0000' }],
    });
    expect(answer.status).toBe(201);
    id = answer.body.id;
    location = answer.headers.get('location')!;
    expect(location).toBe(`http://acme.localhost:3000/scim/v2/Users/${id}`);
    expect(answer.body).toMatchObject({
      schemas: [USER],
      id,
      userName: 'ada@corp.test',
      externalId: '00u1okta',
      active: true,
      emails: [{ value: 'ada@corp.test', primary: true }],
      groups: [],
      meta: { resourceType: 'User', location },
    });
    expect(Date.parse(answer.body.meta.created)).not.toBeNaN();
    expect(Date.parse(answer.body.meta.lastModified)).not.toBeNaN();
    // The existing account joined: same person, their own name kept (it is theirs, shared with globex).
    const [m] = await owner`select m.user_id, m.role, m.scim_external_id from memberships m where m.tenant_id = ${acme.tenant.id} and m.id = ${id}`;
    expect(m).toMatchObject({ user_id: person.user.id, role: 'learner', scim_external_id: '00u1okta' });
    const seatsAfter = await withTenant(acme.tenant.id, (tx) => seatUsage(tx, acme.tenant.id));
    expect(seatsAfter.learners).toBe(seatsBefore.learners + 1);
    const [audit] = await owner`select actor_label, actor_user_id from audit_log where tenant_id = ${acme.tenant.id} and action = 'scim.user.created' and target_id = ${id}`;
    expect(audit).toEqual({ actor_label: `SCIM token ${acmePrefix}`, actor_user_id: null });
    // Their password works here now, as on globex.
    await expect(authenticate(hostOf('acme'), 'ada@corp.test', PASSWORD)).resolves.toMatchObject({ tenantId: acme.tenant.id });
  });

  it('creates a new person without a password, named from their given and family names', async () => {
    const answer = await scim(acmeToken, 'POST', 'Users', { schemas: [USER], userName: 'grace@corp.test', name: { givenName: 'Grace', familyName: 'Hopper' }, active: true });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ displayName: 'Grace Hopper', name: { formatted: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper' } });
    const [user] = await owner`select password_hash from users where email = 'grace@corp.test'`;
    expect(user!.password_hash).toBeNull();
    await signInFails('acme', 'grace@corp.test');
  });

  it('gets the user by id and finds them with filter=userName eq (any case), and answers totalResults 0 when not found', async () => {
    const got = await scim(acmeToken, 'GET', `Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, userName: 'ada@corp.test', meta: { location } });

    const found = await scim(acmeToken, 'GET', `Users?filter=${q('userName eq "ADA@corp.test"')}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.body.Resources[0].id).toBe(id);

    const byExternal = await scim(acmeToken, 'GET', `Users?filter=${q('externalId eq "00u1okta"')}`);
    expect(byExternal.body.Resources.map((r: Json) => r.id)).toEqual([id]);

    const none = await scim(acmeToken, 'GET', `Users?filter=${q('userName eq "nobody@corp.test"')}`);
    expect(none.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });

  it('replaces with PUT: name and externalId change; the email cannot', async () => {
    const put = await scim(acmeToken, 'PUT', `Users/${id}`, { schemas: [USER], userName: 'ada@corp.test', name: { formatted: 'Ada King' }, externalId: 'okta-42', active: true });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Ada King', externalId: 'okta-42', active: true });

    const move = await scim(acmeToken, 'PUT', `Users/${id}`, { schemas: [USER], userName: 'ada@elsewhere.test', active: true });
    expectScimError(move, 400, 'mutability');
    expect(move.body.detail).toContain('cannot change');
    const [user] = await owner`select email from users where id = ${person.user.id}`;
    expect(user!.email).toBe('ada@corp.test');
  });

  it('deactivates with Okta’s PATCH: no sign-in, sessions end, the seat is freed, the member is marked', async () => {
    const seatsBefore = await withTenant(acme.tenant.id, (tx) => seatUsage(tx, acme.tenant.id));
    const sessionStart = Math.floor(Date.now() / 1000);
    expect(await withTenant(acme.tenant.id, (tx) => memberIn(tx, acme.tenant, person.user.id, sessionStart))).not.toBeNull();

    const answer = await scim(acmeToken, 'PATCH', `Users/${id}`, okta({ active: false }));
    expect(answer.status).toBe(200);
    expect(answer.body.active).toBe(false);

    await signInFails('acme', 'ada@corp.test');
    // Still a member of globex, where nothing changed.
    await expect(authenticate(hostOf('globex'), 'ada@corp.test', PASSWORD)).resolves.toMatchObject({ tenantId: globex.tenant.id });
    expect(await withTenant(acme.tenant.id, (tx) => memberIn(tx, acme.tenant, person.user.id, sessionStart))).toBeNull();
    const seatsAfter = await withTenant(acme.tenant.id, (tx) => seatUsage(tx, acme.tenant.id));
    expect(seatsAfter.learners).toBe(seatsBefore.learners - 1);

    const list = await as(acme.owner, (tx, ctx) => listMembers(tx, ctx, { q: 'ada@corp.test' }));
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]!.deactivatedAt).toBeInstanceOf(Date);
    // Deactivated users are still found, so the identity provider can reactivate them.
    const found = await scim(acmeToken, 'GET', `Users?filter=${q('userName eq "ada@corp.test" and active eq false')}`);
    expect(found.body.totalResults).toBe(1);
  });

  it('reactivates with Entra’s PATCH (capitalised op, string boolean) and updates the name in the same request', async () => {
    const answer = await scim(
      acmeToken,
      'PATCH',
      `Users/${id}`,
      entra(
        { op: 'Replace', path: 'active', value: 'True' },
        { op: 'Replace', path: 'name.givenName', value: 'Augusta Ada' },
        { op: 'Replace', path: 'name.familyName', value: 'King' },
        { op: 'Add', path: 'externalId', value: 'entra-7' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Maths' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada@corp.test' },
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ active: true, displayName: 'Augusta Ada King', externalId: 'entra-7' });
    await expect(authenticate(hostOf('acme'), 'ada@corp.test', PASSWORD)).resolves.toMatchObject({ tenantId: acme.tenant.id });

    const off = await scim(acmeToken, 'PATCH', `Users/${id}`, entra({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body.active).toBe(false);
    // An admin can reactivate from the members list too.
    await as(acme.owner, (tx, ctx) => reactivateMember(tx, ctx, { membershipId: id }));
    expect((await scim(acmeToken, 'GET', `Users/${id}`)).body.active).toBe(true);
  });

  it('DELETE deactivates and keeps the member (Lectern keeps history)', async () => {
    const answer = await scim(acmeToken, 'DELETE', `Users/${id}`);
    expect(answer.status).toBe(204);
    const after = await scim(acmeToken, 'GET', `Users/${id}`);
    expect(after.body.active).toBe(false);
    await signInFails('acme', 'ada@corp.test');
    const [m] = await owner`select deactivated_at from memberships where id = ${id}`;
    expect(m!.deactivated_at).toBeInstanceOf(Date);
  });

  it('refuses a second POST for a member with 409 uniqueness, and a userName that is not an email with 400', async () => {
    expectScimError(await scim(acmeToken, 'POST', 'Users', { schemas: [USER], userName: 'grace@corp.test' }), 409, 'uniqueness');
    const bad = await scim(acmeToken, 'POST', 'Users', { schemas: [USER], userName: 'grace.hopper' });
    expectScimError(bad, 400, 'invalidValue');
    expect(bad.body.detail).toContain('map the email attribute to userName');
    expectScimError(await scim(acmeToken, 'POST', 'Users', { schemas: [USER] }), 400, 'invalidValue');
  });

  it('pages with startIndex and count; count=0 gives the total only', async () => {
    for (const n of [1, 2, 3]) expect((await scim(acmeToken, 'POST', 'Users', { userName: `page${n}@corp.test`, displayName: `Page ${n}` })).status).toBe(201);
    const all = await scim(acmeToken, 'GET', 'Users');
    const total = all.body.totalResults as number;
    expect(all.body.Resources).toHaveLength(total);
    const page = await scim(acmeToken, 'GET', 'Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: Json) => r.id)).toEqual(all.body.Resources.slice(1, 3).map((r: Json) => r.id));
    const counted = await scim(acmeToken, 'GET', 'Users?count=0');
    expect(counted.body).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
    const projected = await scim(acmeToken, 'GET', `Users?attributes=userName&filter=${q('userName eq "page1@corp.test"')}`);
    expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('refuses a deactivation that would leave no active owner', async () => {
    const [ownerRow] = (await scim(acmeToken, 'GET', `Users?filter=${q(`userName eq "${acme.owner.user.email}"`)}`)).body.Resources;
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${ownerRow.id}`, okta({ active: false })), 409);
    await expect(authenticate(hostOf('acme'), acme.owner.user.email, PASSWORD)).resolves.toBeTruthy();
  });
});

describe('malformed requests', () => {
  it('refuses filters outside the supported subset with 400 invalidFilter', async () => {
    for (const filter of ['userName co "ada"', 'userName eq "a" or userName eq "b"', 'title eq "x"', '(userName eq "a")', 'userName eq', 'userName eq ada', 'userName pr']) {
      const answer = await scim(acmeToken, 'GET', `Users?filter=${q(filter)}`);
      expectScimError(answer, 400, 'invalidFilter');
      expect(answer.body.detail).toContain('eq');
    }
    expectScimError(await scim(acmeToken, 'GET', `Groups?filter=${q('userName eq "x"')}`), 400, 'invalidFilter');
  });

  it('refuses malformed JSON with 400 invalidSyntax, and unknown PATCH ops and paths', async () => {
    expectScimError(await scim(acmeToken, 'POST', 'Users', undefined, { raw: '{"userName": ' }), 400, 'invalidSyntax');
    const [someone] = (await scim(acmeToken, 'GET', 'Users?count=1')).body.Resources;
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${someone.id}`, undefined, { raw: 'not json' }), 400, 'invalidSyntax');
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${someone.id}`, entra({ op: 'Move', path: 'active', value: true })), 400, 'invalidSyntax');
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${someone.id}`, entra({ op: 'replace', path: 'favouriteColour', value: 'red' })), 400, 'invalidPath');
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${someone.id}`, entra({ op: 'replace', path: 'active', value: 'maybe' })), 400, 'invalidValue');
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${someone.id}`, { Operations: [] }), 400, 'invalidValue');
    expectScimError(await scim(acmeToken, 'GET', 'Users/not-a-uuid'), 404);
  });
});

describe('organisations are kept apart', () => {
  it('a token of one organisation cannot see or change another’s users or groups (404)', async () => {
    const created = await scim(globexToken, 'POST', 'Users', { userName: 'linus@globex.test', displayName: 'Linus' });
    expect(created.status).toBe(201);
    const theirs = created.body.id as string;
    const theirGroup = (await scim(globexToken, 'POST', 'Groups', { displayName: 'Globex staff' })).body.id as string;

    expectScimError(await scim(acmeToken, 'GET', `Users/${theirs}`), 404);
    expectScimError(await scim(acmeToken, 'PUT', `Users/${theirs}`, { userName: 'linus@globex.test', active: false }), 404);
    expectScimError(await scim(acmeToken, 'PATCH', `Users/${theirs}`, okta({ active: false })), 404);
    expectScimError(await scim(acmeToken, 'DELETE', `Users/${theirs}`), 404);
    expectScimError(await scim(acmeToken, 'GET', `Groups/${theirGroup}`), 404);
    expectScimError(await scim(acmeToken, 'DELETE', `Groups/${theirGroup}`), 404);
    expect((await scim(acmeToken, 'GET', `Users?filter=${q('userName eq "linus@globex.test"')}`)).body.totalResults).toBe(0);
    // Nor can it put their user into its own group.
    const mine = (await scim(acmeToken, 'POST', 'Groups', { displayName: 'Acme crew' })).body.id as string;
    expectScimError(await scim(acmeToken, 'PATCH', `Groups/${mine}`, entra({ op: 'Add', path: 'members', value: [{ value: theirs }] })), 400, 'invalidValue');

    const still = await scim(globexToken, 'GET', `Users/${theirs}`);
    expect(still.body.active).toBe(true);
    expect((await scim(globexToken, 'GET', `Groups/${theirGroup}`)).status).toBe(200);
  });
});

describe('groups', () => {
  let staff: string;
  let leads: string;
  let alice: string;
  let bob: string;
  let course: ShortCourse;

  async function user(userName: string): Promise<string> {
    const answer = await scim(acmeToken, 'POST', 'Users', { userName, displayName: userName.split('@')[0] });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  }

  beforeAll(async () => {
    alice = await user('alice@corp.test');
    bob = await user('bob@corp.test');
    course = await shortCourse(acme.owner, 'Onboarding');
  });

  it('creates a group with members; unmapped, it changes nobody’s role', async () => {
    const answer = await scim(acmeToken, 'POST', 'Groups', { schemas: [GROUP], displayName: 'Teaching staff', externalId: 'grp-1', members: [{ value: alice }] });
    expect(answer.status).toBe(201);
    staff = answer.body.id;
    expect(answer.headers.get('location')).toBe(`http://acme.localhost:3000/scim/v2/Groups/${staff}`);
    expect(answer.body).toMatchObject({ schemas: [GROUP], displayName: 'Teaching staff', externalId: 'grp-1', members: [{ value: alice, display: 'alice' }], meta: { resourceType: 'Group' } });
    expect(await roleOf(acme.tenant.id, alice)).toBe('learner');
    expectScimError(await scim(acmeToken, 'POST', 'Groups', { displayName: 'Teaching staff' }), 409, 'uniqueness');
    expect((await scim(acmeToken, 'GET', `Users/${alice}`)).body.groups).toEqual([expect.objectContaining({ value: staff, display: 'Teaching staff' })]);
  });

  it('mapped to a role by an admin, it applies at once and to members added later (Entra “Add”), and removal (Okta) reverts', async () => {
    await as(acme.owner, (tx, ctx) => mapGroup(tx, ctx, { groupId: staff, target: 'role:instructor' }));
    expect(await roleOf(acme.tenant.id, alice)).toBe('instructor');

    const add = await scim(acmeToken, 'PATCH', `Groups/${staff}`, entra({ op: 'Add', path: 'members', value: [{ value: bob }] }));
    expect(add.status).toBe(200);
    expect(add.body.members.map((m: Json) => m.value).sort()).toEqual([alice, bob].sort());
    expect(await roleOf(acme.tenant.id, bob)).toBe('instructor');

    const remove = await scim(acmeToken, 'PATCH', `Groups/${staff}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${bob}"]` }] });
    expect(remove.status).toBe(200);
    expect(await roleOf(acme.tenant.id, bob)).toBe('learner');
    const [audit] = await owner`select actor_label, before, after from audit_log where tenant_id = ${acme.tenant.id} and action = 'scim.member.role_changed' and target_id = ${bob} order by created_at desc limit 1`;
    expect(audit).toMatchObject({ actor_label: `SCIM token ${acmePrefix}`, before: { role: 'instructor' }, after: { role: 'learner' } });
  });

  it('the highest role among mapped groups wins; owners are never changed', async () => {
    leads = (await scim(acmeToken, 'POST', 'Groups', { displayName: 'Leads', members: [{ value: alice }] })).body.id;
    await as(acme.owner, (tx, ctx) => mapGroup(tx, ctx, { groupId: leads, target: 'role:admin' }));
    expect(await roleOf(acme.tenant.id, alice)).toBe('admin');

    const [ownerUser] = (await scim(acmeToken, 'GET', `Users?filter=${q(`userName eq "${acme.owner.user.email}"`)}`)).body.Resources;
    await scim(acmeToken, 'PATCH', `Groups/${staff}`, entra({ op: 'Add', path: 'members', value: [{ value: ownerUser.id }] }));
    expect(await roleOf(acme.tenant.id, ownerUser.id)).toBe('owner');

    // Okta renames with a PATCH without a path, and replaces membership wholesale.
    const renamed = await scim(acmeToken, 'PATCH', `Groups/${leads}`, okta({ id: leads, displayName: 'Team leads' }));
    expect(renamed.body.displayName).toBe('Team leads');
    await scim(acmeToken, 'PATCH', `Groups/${leads}`, { Operations: [{ op: 'replace', path: 'members', value: [] }] });
    expect(await roleOf(acme.tenant.id, alice)).toBe('instructor');
  });

  it('is found by displayName, externalId and member, and listed without members on request', async () => {
    const byName = await scim(acmeToken, 'GET', `Groups?filter=${q('displayName eq "teaching staff"')}`);
    expect(byName.body.Resources.map((r: Json) => r.id)).toEqual([staff]);
    const byExternal = await scim(acmeToken, 'GET', `Groups?filter=${q('externalId eq "grp-1"')}`);
    expect(byExternal.body.totalResults).toBe(1);
    const byMember = await scim(acmeToken, 'GET', `Groups?filter=${q(`id eq "${staff}" and members.value eq "${alice}"`)}&excludedAttributes=members`);
    expect(byMember.body.totalResults).toBe(1);
    expect(byMember.body.Resources[0].members).toBeUndefined();
    const notMember = await scim(acmeToken, 'GET', `Groups?filter=${q(`id eq "${staff}" and members.value eq "${bob}"`)}`);
    expect(notMember.body.totalResults).toBe(0);
  });

  it('mapped to a course, it enrols members through the enrolment service and unenrols those removed', async () => {
    const answer = await scim(acmeToken, 'POST', 'Groups', { displayName: 'Onboarding 2025', members: [{ value: bob }] });
    const cohort = answer.body.id as string;
    expect(await enrolmentOf(course.id, 'bob@corp.test')).toBeUndefined();
    await as(acme.owner, (tx, ctx) => mapGroup(tx, ctx, { groupId: cohort, target: `course:${course.id}` }));
    expect(await enrolmentOf(course.id, 'bob@corp.test')).toEqual({ role: 'learner', status: 'active' });

    await scim(acmeToken, 'PATCH', `Groups/${cohort}`, entra({ op: 'Add', path: 'members', value: [{ value: alice }] }));
    expect(await enrolmentOf(course.id, 'alice@corp.test')).toEqual({ role: 'learner', status: 'active' });
    const [seats] = await owner`select seats_taken from courses where id = ${course.id}`;
    expect(seats!.seats_taken).toBe(2);
    const [event] = await owner`select payload from outbox where tenant_id = ${acme.tenant.id} and name = 'lectern/enrolment.created.v1' and payload->>'source' = 'provisioning' limit 1`;
    expect(event).toBeDefined();

    // Entra removes with a value list.
    await scim(acmeToken, 'PATCH', `Groups/${cohort}`, entra({ op: 'Remove', path: 'members', value: [{ value: alice }] }));
    expect(await enrolmentOf(course.id, 'alice@corp.test')).toBeUndefined();

    // PUT with the full membership, then DELETE the group: its last member is unenrolled too.
    const put = await scim(acmeToken, 'PUT', `Groups/${cohort}`, { schemas: [GROUP], displayName: 'Onboarding 2025', members: [{ value: bob }, { value: alice }] });
    expect(put.body.members).toHaveLength(2);
    expect(await enrolmentOf(course.id, 'alice@corp.test')).toMatchObject({ status: 'active' });
    expect((await scim(acmeToken, 'DELETE', `Groups/${cohort}`)).status).toBe(204);
    expect(await enrolmentOf(course.id, 'bob@corp.test')).toBeUndefined();
    expect(await enrolmentOf(course.id, 'alice@corp.test')).toBeUndefined();
    expectScimError(await scim(acmeToken, 'GET', `Groups/${cohort}`), 404);
  });

  it('shows the activity on the provisioning page’s feed', async () => {
    const activity = await as(acme.owner, (tx, ctx) => provisioningActivity(tx, ctx));
    expect(activity.length).toBeGreaterThan(0);
    expect(activity.some((a) => a.actorLabel === `SCIM token ${acmePrefix}` && a.action === 'scim.group.deleted')).toBe(true);
    expect(activity.some((a) => a.action === 'scim.group.mapped')).toBe(true);
  });
});

describe('the seat limit on a Free organisation', () => {
  it('refuses to provision a learner past the limit with 403 and a detail that says the seats are full', async () => {
    const free = await makeOrg('tinyco', { plan: 'free' });
    const { token } = await newToken(free);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const answer = await scim(token, 'POST', 'Users', { userName: `l${i}@tinyco.test` });
      expect(answer.status, `learner ${i}`).toBe(201);
      ids.push(answer.body.id);
    }
    const over = await scim(token, 'POST', 'Users', { userName: 'one-too-many@tinyco.test' });
    expectScimError(over, 403);
    expect(over.body.detail).toContain('learner seats on the Free plan are taken');
    expect((await owner`select 1 from users where email = 'one-too-many@tinyco.test'`).length).toBe(0);

    // Created inactive, they take no seat; deactivating someone frees one.
    expect((await scim(token, 'POST', 'Users', { userName: 'later@tinyco.test', active: false })).status).toBe(201);
    expect((await scim(token, 'PATCH', `Users/${ids[0]}`, okta({ active: false }))).status).toBe(200);
    const again = await scim(token, 'POST', 'Users', { userName: 'one-too-many@tinyco.test' });
    expect(again.status).toBe(201);
    // Now full again: reactivating the first learner is refused the same way, and changes nothing.
    expectScimError(await scim(token, 'PATCH', `Users/${ids[0]}`, entra({ op: 'Replace', path: 'active', value: 'True' })), 403);
    expect((await scim(token, 'GET', `Users/${ids[0]}`)).body.active).toBe(false);
  });
});
