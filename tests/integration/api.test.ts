/**
 * The REST API as an integrator meets it: organisations kept apart, scopes and the key maker's role,
 * key life (expiry, revocation, leaving), refused input that writes nothing, pagination that misses
 * nothing, Idempotency-Key, ETag, request ids, sis ids and enrolments. Requests go through the real
 * apiHandler in-process (tests/support/api.ts); the routing files are covered by the e2e spec.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '@/lib/api/endpoint';
import { API_SCOPES, parseApiKey, revokeApiKey } from '@/lib/api/keys';
import { encodeCursor } from '@/lib/api/pagination';
import { ENDPOINTS } from '@/lib/api/v1';
import type { MemberContext } from '@/lib/auth/context';
import { enrolMembers } from '@/lib/enrolment/service';
import { changeRole, removeMember } from '@/lib/members/service';
import { callApi, makeApiKey, type ApiResponse } from '../support/api';
import { shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

const ALL = [...API_SCOPES];
const PROBLEM = 'https://lectern.app/problems/';

type Problem = { type: string; title: string; status: number; detail: string; request_id?: string; errors?: { path: string; message: string }[] };
type Page<T> = { data: T[]; next_cursor: string | null };
type Member = { id: string; email: string; role: string; sis_id: string | null; updated_at: string };
type Course = { id: string; sis_id: string | null; seats_taken: number; updated_at: string };
type Enrolment = { id: string; course_id: string; member_id: string; user_id: string; role: string; status: string; sis_id: string | null };

const problemOf = (res: ApiResponse) => res.body as Problem;

function expectProblem(res: ApiResponse, status: number, type: string): Problem {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const p = problemOf(res);
  expect(p.type).toBe(PROBLEM + type);
  return p;
}

async function keyIdOf(key: string): Promise<string> {
  const [row] = await owner<{ id: string }[]>`select id from api_keys where prefix = ${parseApiKey(key)!.prefix}`;
  return row!.id;
}

async function enrolmentCount(courseId: string): Promise<number> {
  const [row] = await owner<{ n: number }[]>`select count(*)::int as n from enrolments where course_id = ${courseId}`;
  return row!.n;
}

async function enrolmentIdOf(courseId: string, userId: string): Promise<string | undefined> {
  const [row] = await owner<{ id: string }[]>`select id from enrolments where course_id = ${courseId} and user_id = ${userId}`;
  return row?.id;
}

/** Enrol through the service, as the roster page does; returns the enrolment id. */
async function enrol(by: MemberContext, course: { id: string }, who: MemberContext, role: 'learner' | 'ta' | 'instructor' = 'learner'): Promise<string> {
  await as(by, (tx, c) => enrolMembers(tx, c, course.id, [{ email: who.user.email, role }]));
  return (await enrolmentIdOf(course.id, who.user.id))!;
}

/** Every page of a list, following the Link header as a client would. */
async function allPages<T>(first: string, key: string): Promise<{ pages: ApiResponse[]; items: T[] }> {
  const pages: ApiResponse[] = [];
  let url: string | null = first;
  while (url) {
    const res = await callApi('GET', url, { key });
    expect(res.status, res.text).toBe(200);
    pages.push(res);
    const link = res.headers.get('link');
    url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
    expect(pages.length).toBeLessThan(50);
  }
  return { pages, items: pages.flatMap((p) => (p.body as Page<T>).data) };
}

let acme: Org;
let globex: Org;
let key: string;
let course: ShortCourse;
let learner: MemberContext;
let learnerEnrolment: string;
// Globex's rows, with sis ids that Acme also uses for rows of its own.
let globexCourse: ShortCourse;
let globexLearner: MemberContext;
let globexEnrolment: string;
let globexKey: string;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  key = await makeApiKey(acme.owner, ALL);
  globexKey = await makeApiKey(globex.owner, ALL);
  course = await shortCourse(acme.owner, 'Acme course');
  learner = await addMember(acme.tenant, 'learner');
  learnerEnrolment = await enrol(acme.owner, course, learner);

  globexCourse = await shortCourse(globex.owner, 'Globex course');
  globexLearner = await addMember(globex.tenant, 'learner');
  globexEnrolment = await enrol(globex.owner, globexCourse, globexLearner);
  await owner`update courses set sis_id = 'SHARED-C' where id = ${globexCourse.id}`;
  await owner`update memberships set sis_id = 'SHARED-M' where id = ${globexLearner.membershipId}`;
  await owner`update enrolments set sis_id = 'SHARED-E' where id = ${globexEnrolment}`;
});

describe('tenancy', () => {
  it("a key of one organisation gets 404 for another organisation's ids and sis ids, and changes nothing there", async () => {
    const refs = {
      member: [globexLearner.membershipId, 'sis:SHARED-M'],
      course: [globexCourse.id, 'sis:SHARED-C'],
      enrolment: [globexEnrolment, 'sis:SHARED-E'],
    };
    for (const m of refs.member) {
      expectProblem(await callApi('GET', `/api/v1/members/${m}`, { key }), 404, 'not-found');
      expectProblem(await callApi('PATCH', `/api/v1/members/${m}`, { key, body: { sis_id: 'TAKEN-OVER', role: 'admin' } }), 404, 'not-found');
    }
    for (const c of refs.course) {
      for (const sub of ['', '/modules', '/gradebook', '/quiz-attempts']) expectProblem(await callApi('GET', `/api/v1/courses/${c}${sub}`, { key }), 404, 'not-found');
      expectProblem(await callApi('PATCH', `/api/v1/courses/${c}`, { key, body: { sis_id: 'TAKEN-OVER' } }), 404, 'not-found');
      expectProblem(await callApi('GET', `/api/v1/enrolments?course=${c}`, { key }), 404, 'not-found');
      expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: c, member: learner.membershipId } }), 404, 'not-found');
    }
    for (const e of refs.enrolment) {
      expectProblem(await callApi('GET', `/api/v1/enrolments/${e}`, { key }), 404, 'not-found');
      expectProblem(await callApi('GET', `/api/v1/enrolments/${e}/progress`, { key }), 404, 'not-found');
      expectProblem(await callApi('PATCH', `/api/v1/enrolments/${e}`, { key, body: { role: 'instructor' } }), 404, 'not-found');
      expectProblem(await callApi('DELETE', `/api/v1/enrolments/${e}`, { key }), 404, 'not-found');
    }
    // Enrolling Globex's learner into Acme's course: the member is unknown here.
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: globexLearner.membershipId } }), 404, 'not-found');
    expectProblem(await callApi('GET', `/api/v1/certificates?member=${globexLearner.membershipId}`, { key }), 404, 'not-found');

    const [g] = await owner<{ role: string; sis: string | null; esis: string | null; erole: string }[]>`
      select m.role, m.sis_id as sis, e.sis_id as esis, e.role as erole
      from memberships m join enrolments e on e.user_id = m.user_id and e.tenant_id = m.tenant_id where m.id = ${globexLearner.membershipId}`;
    expect(g).toEqual({ role: 'learner', sis: 'SHARED-M', esis: 'SHARED-E', erole: 'learner' });
    const [gc] = await owner<{ sis_id: string }[]>`select sis_id from courses where id = ${globexCourse.id}`;
    expect(gc!.sis_id).toBe('SHARED-C');
    expect(await enrolmentIdOf(course.id, globexLearner.user.id)).toBeUndefined();
  });

  it('the same sis id in two organisations names each its own row', async () => {
    const mine = await shortCourse(acme.owner, 'Acme shared-sis course');
    expect((await callApi('PATCH', `/api/v1/courses/${mine.id}`, { key, body: { sis_id: 'SHARED-C' } })).status).toBe(200);
    expect(((await callApi('GET', '/api/v1/courses/sis:SHARED-C', { key })).body as Course).id).toBe(mine.id);
    expect(((await callApi('GET', '/api/v1/courses/sis:SHARED-C', { key: globexKey })).body as Course).id).toBe(globexCourse.id);
  });

  it("an organisation's lists never contain another organisation's rows", async () => {
    const acmeIds = async (table: string) => new Set((await owner<{ id: string }[]>`select id from ${owner(table)} where tenant_id = ${acme.tenant.id}`).map((r) => r.id));
    for (const [path, table] of [['/api/v1/members', 'memberships'], ['/api/v1/courses', 'courses'], ['/api/v1/enrolments', 'enrolments'], ['/api/v1/certificates', 'certificates']] as const) {
      const { items } = await allPages<{ id: string }>(`${path}?limit=200`, key);
      const mine = await acmeIds(table);
      expect(items.map((i) => i.id).sort(), path).toEqual([...mine].sort());
    }
    const byEmail = await callApi('GET', `/api/v1/members?email=${encodeURIComponent(globex.owner.user.email)}`, { key });
    expect((byEmail.body as Page<Member>).data).toEqual([]);
  });

  it('the key, not the Host, decides the organisation; a key edited to name another organisation is refused', async () => {
    const viaGlobexHost = await callApi('GET', '/api/v1/members?limit=200', { key, headers: { host: 'globex.localhost:3000' } });
    expect((viaGlobexHost.body as Page<Member>).data.map((m) => m.email)).toContain(acme.owner.user.email);
    expect((viaGlobexHost.body as Page<Member>).data.map((m) => m.email)).not.toContain(globex.owner.user.email);
    const forged = key.replace(/^lk_acme_/, 'lk_globex_');
    expectProblem(await callApi('GET', '/api/v1/members', { key: forged }), 401, 'unauthorized');
    expectProblem(await callApi('GET', '/api/v1/members', { key: key.replace(/^lk_acme_/, 'lk_no-such-org_') }), 401, 'unauthorized');
  });
});

describe('scopes and the key maker', () => {
  /** One representative request per operation; write requests act on fresh rows. */
  async function requestFor(operationId: string): Promise<[string, string, unknown?]> {
    switch (operationId) {
      case 'listMembers':
        return ['GET', '/api/v1/members'];
      case 'getMember':
        return ['GET', `/api/v1/members/${learner.membershipId}`];
      case 'updateMember':
        return ['PATCH', `/api/v1/members/${learner.membershipId}`, { sis_id: null }];
      case 'listCourses':
        return ['GET', '/api/v1/courses'];
      case 'getCourse':
        return ['GET', `/api/v1/courses/${course.id}`];
      case 'updateCourse':
        return ['PATCH', `/api/v1/courses/${course.id}`, { sis_id: null }];
      case 'listModules':
        return ['GET', `/api/v1/courses/${course.id}/modules`];
      case 'listEnrolments':
        return ['GET', '/api/v1/enrolments'];
      case 'createEnrolment': {
        const m = await addMember(acme.tenant, 'learner');
        return ['POST', '/api/v1/enrolments', { course: course.id, member: m.membershipId }];
      }
      case 'getEnrolment':
        return ['GET', `/api/v1/enrolments/${learnerEnrolment}`];
      case 'updateEnrolment':
        return ['PATCH', `/api/v1/enrolments/${learnerEnrolment}`, { role: 'learner' }];
      case 'deleteEnrolment': {
        const m = await addMember(acme.tenant, 'learner');
        return ['DELETE', `/api/v1/enrolments/${await enrol(acme.owner, course, m)}`];
      }
      case 'getProgress':
        return ['GET', `/api/v1/enrolments/${learnerEnrolment}/progress`];
      case 'listGradebookRows':
        return ['GET', `/api/v1/courses/${course.id}/gradebook`];
      case 'listQuizAttempts':
        return ['GET', `/api/v1/courses/${course.id}/quiz-attempts`];
      case 'listCertificates':
        return ['GET', '/api/v1/certificates'];
      default:
        throw new Error(`no request for ${operationId}: add one`);
    }
  }

  it('each endpoint refuses a key without its scope (403 naming the scope) and accepts a key with only that scope', async () => {
    const only = new Map<string, string>();
    const allBut = new Map<string, string>();
    for (const scope of ALL) {
      only.set(scope, await makeApiKey(acme.owner, [scope], { name: `only ${scope}` }));
      allBut.set(scope, await makeApiKey(acme.owner, ALL.filter((s) => s !== scope), { name: `all but ${scope}` }));
    }
    for (const ep of Object.values(ENDPOINTS) as Endpoint[]) {
      const [method, path, body] = await requestFor(ep.operationId);
      const refused = await callApi(method, path, { key: allBut.get(ep.scope)!, body });
      const p = expectProblem(refused, 403, 'insufficient-scope');
      expect(p.detail, ep.operationId).toContain(`\`${ep.scope}\``);
      const accepted = await callApi(method, path, { key: only.get(ep.scope)!, body });
      expect(accepted.status, `${ep.operationId} with only ${ep.scope}: ${accepted.text}`).toBeLessThan(300);
    }
  });

  it("a key can do nothing its maker could not do in the app: demoted to learner, every endpoint answers 403 forbidden; promoted again, it works", async () => {
    const admin = await addMember(acme.tenant, 'admin');
    const adminKey = await makeApiKey(admin, ALL);
    expect((await callApi('GET', '/api/v1/members', { key: adminKey })).status).toBe(200);
    await as(acme.owner, (tx, c) => changeRole(tx, c, { membershipId: admin.membershipId, role: 'learner' }));
    const before = await owner`select role, sis_id from memberships where id = ${learner.membershipId}`;
    for (const ep of Object.values(ENDPOINTS) as Endpoint[]) {
      const [method, path, body] = await requestFor(ep.operationId);
      expectProblem(await callApi(method, path, { key: adminKey, body }), 403, 'forbidden');
    }
    expect(await owner`select role, sis_id from memberships where id = ${learner.membershipId}`).toEqual(before);
    await as(acme.owner, (tx, c) => changeRole(tx, c, { membershipId: admin.membershipId, role: 'admin' }));
    expect((await callApi('GET', '/api/v1/members', { key: adminKey })).status).toBe(200);
  });

  it("an instructor's key reaches the courses they teach and nothing organisation-wide", async () => {
    const teacher = await addMember(acme.tenant, 'admin');
    const teacherKey = await makeApiKey(teacher, ALL);
    await as(acme.owner, (tx, c) => changeRole(tx, c, { membershipId: teacher.membershipId, role: 'instructor' }));
    const theirs = await shortCourse(teacher, 'Taught by the key maker');
    const newcomer = await addMember(acme.tenant, 'learner');
    expect((await callApi('GET', `/api/v1/courses/${theirs.id}`, { key: teacherKey })).status).toBe(200);
    expect((await callApi('GET', `/api/v1/enrolments?course=${theirs.id}`, { key: teacherKey })).status).toBe(200);
    expect((await callApi('POST', '/api/v1/enrolments', { key: teacherKey, body: { course: theirs.id, member: newcomer.membershipId } })).status).toBe(201);
    expectProblem(await callApi('GET', `/api/v1/courses/${course.id}`, { key: teacherKey }), 403, 'forbidden');
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key: teacherKey, body: { course: course.id, member: newcomer.membershipId } }), 403, 'forbidden');
    expectProblem(await callApi('GET', '/api/v1/members', { key: teacherKey }), 403, 'forbidden');
    expectProblem(await callApi('GET', '/api/v1/courses', { key: teacherKey }), 403, 'forbidden');
    expectProblem(await callApi('GET', '/api/v1/enrolments', { key: teacherKey }), 403, 'forbidden');
    expect(await enrolmentIdOf(course.id, newcomer.user.id)).toBeUndefined();
  });

  it('a key whose maker left the organisation stops working (401) and is gone', async () => {
    const leaver = await addMember(acme.tenant, 'admin');
    const leaverKey = await makeApiKey(leaver, ALL);
    expect((await callApi('GET', '/api/v1/courses', { key: leaverKey })).status).toBe(200);
    await as(acme.owner, (tx, c) => removeMember(tx, c, { membershipId: leaver.membershipId }));
    expectProblem(await callApi('GET', '/api/v1/courses', { key: leaverKey }), 401, 'unauthorized');
    expect(await owner`select 1 from api_keys where prefix = ${parseApiKey(leaverKey)!.prefix}`).toHaveLength(0);
  });
});

describe('authentication', () => {
  it('an expired key answers 401 key-expired, a revoked one 401 key-revoked', async () => {
    const expiring = await makeApiKey(acme.owner, ALL, { expiresInDays: 30 });
    expect((await callApi('GET', '/api/v1/courses', { key: expiring })).status).toBe(200);
    await owner`update api_keys set expires_at = now() - interval '1 minute' where id = ${await keyIdOf(expiring)}`;
    const expired = expectProblem(await callApi('GET', '/api/v1/courses', { key: expiring }), 401, 'key-expired');
    expect(expired.detail).toContain('expired');

    const revoking = await makeApiKey(acme.owner, ALL);
    expect((await callApi('GET', '/api/v1/courses', { key: revoking })).status).toBe(200);
    const id = await keyIdOf(revoking);
    await as(acme.owner, (tx, c) => revokeApiKey(tx, c, id));
    expectProblem(await callApi('GET', '/api/v1/courses', { key: revoking }), 401, 'key-revoked');
  });

  it('a missing, malformed or unknown key answers 401 with WWW-Authenticate, and every 401 carries it', async () => {
    const unknownSecret = `lk_acme_${'0'.repeat(40)}`;
    const expiring = await makeApiKey(acme.owner, ALL);
    await owner`update api_keys set expires_at = now() - interval '1 second' where id = ${await keyIdOf(expiring)}`;
    const cases: [string, Record<string, string>][] = [
      ['no Authorization', {}],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['garbage', { authorization: 'Bearer not-a-key' }],
      ['another scheme', { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }],
      ['key without scheme', { authorization: key }],
      ['unknown secret', { authorization: `Bearer ${unknownSecret}` }],
      ['unknown organisation', { authorization: `Bearer lk_nowhere_${'a'.repeat(40)}` }],
      ['expired', { authorization: `Bearer ${expiring}` }],
    ];
    for (const [what, headers] of cases) {
      const res = await callApi('GET', '/api/v1/members', { headers });
      expect(res.status, what).toBe(401);
      expect(res.headers.get('www-authenticate'), what).toMatch(/^Bearer realm="lectern"/);
      expect(res.text, what).not.toContain(key);
    }
    expect((await callApi('GET', '/api/v1/members', { headers: { authorization: `bearer ${key}` } })).status).toBe(200);
  });

  it('records when a key was last used (at most once a minute)', async () => {
    const fresh = await makeApiKey(acme.owner, ['courses:read']);
    const id = await keyIdOf(fresh);
    expect((await owner<{ t: Date | null }[]>`select last_used_at as t from api_keys where id = ${id}`)[0]!.t).toBeNull();
    const start = Date.now();
    await callApi('GET', '/api/v1/courses', { key: fresh });
    const first = (await owner<{ t: Date }[]>`select last_used_at as t from api_keys where id = ${id}`)[0]!.t;
    expect(first.getTime()).toBeGreaterThanOrEqual(start - 1000);
    await callApi('GET', '/api/v1/courses', { key: fresh });
    expect((await owner<{ t: Date }[]>`select last_used_at as t from api_keys where id = ${id}`)[0]!.t).toEqual(first);
    await owner`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${id}`;
    await callApi('GET', '/api/v1/courses', { key: fresh });
    expect((await owner<{ t: Date }[]>`select last_used_at as t from api_keys where id = ${id}`)[0]!.t.getTime()).toBeGreaterThanOrEqual(start - 1000);
  });
});

describe('refused input', () => {
  const member = () => `/api/v1/members/${learner.membershipId}`;

  it('malformed JSON is 400 malformed-json; a body that is not JSON is 415', async () => {
    expectProblem(await callApi('PATCH', member(), { key, rawBody: '{"sis_id": "A",', headers: { 'content-type': 'application/json' } }), 400, 'malformed-json');
    expectProblem(await callApi('PATCH', member(), { key, rawBody: 'sis_id=A', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported-media-type');
    expectProblem(await callApi('PATCH', member(), { key, rawBody: '{"sis_id":"A"}' }), 415, 'unsupported-media-type');
    expect((await callApi('PATCH', member(), { key, rawBody: '{"sis_id":null}', headers: { 'content-type': 'application/merge-patch+json' } })).status).toBe(200);
  });

  it('unknown body fields are 422 and listed; wrong types are 422 naming the field', async () => {
    const unknown = expectProblem(await callApi('PATCH', member(), { key, body: { sis_id: 'A', nickname: 'x', colour: 'red' } }), 422, 'validation-failed');
    expect(unknown.detail).toContain('nickname');
    expect(unknown.detail).toContain('colour');
    expect(unknown.errors).toEqual([{ path: '(root)', message: 'unknown fields: nickname, colour' }]);
    const wrong = expectProblem(await callApi('PATCH', member(), { key, body: { sis_id: 5, role: 'wizard' } }), 422, 'validation-failed');
    expect(wrong.errors!.map((e) => e.path).sort()).toEqual(['role', 'sis_id']);
    expectProblem(await callApi('PATCH', member(), { key, body: ['sis_id'] }), 422, 'validation-failed');
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id } }), 422, 'validation-failed');
    expect((await owner`select sis_id from memberships where id = ${learner.membershipId}`)[0]!.sis_id).toBeNull();
  });

  it('unknown query parameters are 400 invalid-query, on lists and single resources alike', async () => {
    const list = expectProblem(await callApi('GET', '/api/v1/members?limit=5&sort=name', { key }), 400, 'invalid-query');
    expect(list.detail).toContain('sort');
    expectProblem(await callApi('GET', `/api/v1/courses/${course.id}?expand=modules`, { key }), 400, 'invalid-query');
    expectProblem(await callApi('GET', '/api/v1/members?role=wizard', { key }), 400, 'invalid-query');
    expectProblem(await callApi('GET', '/api/v1/members?updated_since=yesterday', { key }), 400, 'invalid-query');
  });

  it('limit above 200 is refused (never capped), limit below 1 or not a whole number is 400, 200 is allowed', async () => {
    const big = expectProblem(await callApi('GET', '/api/v1/members?limit=201', { key }), 400, 'page-size-too-large');
    expect(big.detail).toContain('200');
    expectProblem(await callApi('GET', '/api/v1/members?limit=100000', { key }), 400, 'page-size-too-large');
    for (const bad of ['0', '-1', '1.5', 'ten', '']) expectProblem(await callApi('GET', `/api/v1/members?limit=${bad}`, { key }), 400, 'invalid-query');
    expect((await callApi('GET', '/api/v1/members?limit=200', { key })).status).toBe(200);
  });

  it('a cursor this API did not issue is 400 invalid-cursor', async () => {
    const raw = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const issued = (await callApi('GET', '/api/v1/members?limit=1', { key })).body as Page<Member>;
    const [, signature] = issued.next_cursor!.split('.');
    const forged = [
      'garbage',
      raw({ k: 1 }),
      raw({ k: 'not a time', i: randomUUID() }),
      raw({ k: '2026-13-45 99:00:00+00', i: randomUUID() }),
      `${raw({ k: '2026-13-45 99:00:00+00', i: randomUUID() })}.${signature}`, // an issued cursor's signature on an edited position
      `${issued.next_cursor}.x`,
    ];
    for (const cursor of forged) {
      for (const path of ['/api/v1/members', '/api/v1/courses', '/api/v1/enrolments', '/api/v1/certificates', `/api/v1/courses/${course.id}/quiz-attempts`, `/api/v1/courses/${course.id}/gradebook`]) {
        expectProblem(await callApi('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { key }), 400, 'invalid-cursor');
      }
    }
    // A gradebook cursor belongs to its course.
    const other = await shortCourse(acme.owner, 'Other gradebook');
    expectProblem(await callApi('GET', `/api/v1/courses/${other.id}/gradebook?cursor=${encodeCursor({ k: '2', i: course.id })}`, { key }), 400, 'invalid-cursor');
  });

  it('a refused write writes nothing: an unknown course, an sis id clash after the enrolment, a role change before an sis id clash', async () => {
    const m = await addMember(acme.tenant, 'learner');
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: randomUUID(), member: m.membershipId } }), 404, 'not-found');
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: 'sis:NOBODY' } }), 404, 'not-found');
    const seatsBefore = ((await callApi('GET', `/api/v1/courses/${course.id}`, { key })).body as Course).seats_taken;
    const enrolmentsBefore = await enrolmentCount(course.id);
    await owner`update enrolments set sis_id = 'ENR-TAKEN' where id = ${learnerEnrolment}`;
    expectProblem(await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId, sis_id: 'ENR-TAKEN' } }), 409, 'conflict');
    expect(await enrolmentCount(course.id)).toBe(enrolmentsBefore);
    expect(await enrolmentIdOf(course.id, m.user.id)).toBeUndefined();
    expect(((await callApi('GET', `/api/v1/courses/${course.id}`, { key })).body as Course).seats_taken).toBe(seatsBefore);

    await owner`update memberships set sis_id = 'EMP-TAKEN' where id = ${learner.membershipId}`;
    const clash = expectProblem(await callApi('PATCH', `/api/v1/members/${m.membershipId}`, { key, body: { role: 'instructor', sis_id: 'EMP-TAKEN' } }), 409, 'conflict');
    expect(clash.detail).toContain('EMP-TAKEN');
    expect(((await callApi('GET', `/api/v1/members/${m.membershipId}`, { key })).body as Member).role).toBe('learner');
    expect(await owner`select 1 from audit_log where action = 'member.role_changed' and target_id = ${m.membershipId}`).toHaveLength(0);
    await owner`update memberships set sis_id = null where id = ${learner.membershipId}`;
    await owner`update enrolments set sis_id = null where id = ${learnerEnrolment}`;
  });
});

describe('pagination', () => {
  let pages: Org;
  let pagesKey: string;
  let memberIds: string[];

  beforeAll(async () => {
    pages = await makeOrg('pages');
    pagesKey = await makeApiKey(pages.owner, ['members:read', 'members:write']);
    for (let i = 0; i < 6; i++) await addMember(pages.tenant, 'learner');
    memberIds = (await owner<{ id: string }[]>`select id from memberships where tenant_id = ${pages.tenant.id}`).map((r) => r.id);
    expect(memberIds).toHaveLength(7);
  });

  /** Set updated_at directly (the trigger would otherwise stamp now()); sent as text so microseconds survive. */
  async function setUpdatedAt(rows: { id: string; at: string }[]) {
    await owner.begin(async (sql) => {
      await sql`set local session_replication_role = replica`;
      for (const r of rows) await sql`update memberships set updated_at = ${r.at}::text::timestamptz where id = ${r.id}`;
    });
  }

  it('7 members at 3 a page: three pages, Link rel=next on the first two only, each member exactly once, in (updated_at, id) order', async () => {
    const { pages: got, items } = await allPages<Member>('/api/v1/members?limit=3', pagesKey);
    expect(got.map((p) => (p.body as Page<Member>).data.length)).toEqual([3, 3, 1]);
    expect(got.map((p) => p.headers.get('link') !== null)).toEqual([true, true, false]);
    for (const p of got.slice(0, 2)) {
      const body = p.body as Page<Member>;
      expect(p.headers.get('link')).toBe(`<http://localhost:3000/api/v1/members?limit=3&cursor=${body.next_cursor}>; rel="next"`);
    }
    expect((got[2]!.body as Page<Member>).next_cursor).toBeNull();
    expect(items.map((m) => m.id).sort()).toEqual([...memberIds].sort());
    const order = await owner<{ id: string }[]>`select id from memberships where tenant_id = ${pages.tenant.id} order by updated_at, id`;
    expect(items.map((m) => m.id)).toEqual(order.map((r) => r.id));
  });

  it('keeps filters on the next page and the same order when every row shares updated_at', async () => {
    await setUpdatedAt(memberIds.map((id) => ({ id, at: '2020-01-01T00:00:00Z' })));
    const { items } = await allPages<Member>('/api/v1/members?limit=2&role=learner', pagesKey);
    expect(items.map((m) => m.id)).toEqual(
      (await owner<{ id: string }[]>`select id from memberships where tenant_id = ${pages.tenant.id} and role = 'learner' order by id`).map((r) => r.id),
    );
    const again = await allPages<Member>('/api/v1/members?limit=2&role=learner', pagesKey);
    expect(again.items.map((m) => m.id)).toEqual(items.map((m) => m.id));
  });

  it('rows a microsecond apart are neither skipped nor repeated across pages', async () => {
    const sorted = [...memberIds].sort().reverse(); // id order against time order, so only the timestamp can be right
    await setUpdatedAt(sorted.map((id, i) => ({ id, at: `2020-01-01T00:00:00.00000${i}Z` })));
    const { items } = await allPages<Member>('/api/v1/members?limit=1', pagesKey);
    expect(items.map((m) => m.id)).toEqual(sorted);
  });

  it('updated_since returns the rows changed at or after it (inclusive)', async () => {
    const sorted = [...memberIds].sort();
    await setUpdatedAt(sorted.map((id, i) => ({ id, at: `2020-01-01T00:00:0${i}.000Z` })));
    const res = await callApi('GET', '/api/v1/members?updated_since=2020-01-01T00:00:03Z', { key: pagesKey });
    expect((res.body as Page<Member>).data.map((m) => m.id)).toEqual(sorted.slice(3));
    const offset = await callApi('GET', `/api/v1/members?updated_since=${encodeURIComponent('2020-01-01T02:00:05+02:00')}`, { key: pagesKey });
    expect((offset.body as Page<Member>).data.map((m) => m.id)).toEqual(sorted.slice(5));
    expect(((await callApi('GET', '/api/v1/members?updated_since=2020-01-01T00:00:06.001Z', { key: pagesKey })).body as Page<Member>).data).toEqual([]);
  });

  it('a row changed while a client pages through moves to the end and is still seen', async () => {
    const first = await callApi('GET', '/api/v1/members?limit=3', { key: pagesKey });
    const firstPage = (first.body as Page<Member>).data;
    // A member on the first page changes: the API stamps it now, after every other row.
    expect((await callApi('PATCH', `/api/v1/members/${firstPage[0]!.id}`, { key: pagesKey, body: { sis_id: 'MOVED' } })).status).toBe(200);
    const { items: rest } = await allPages<Member>(`/api/v1/members?limit=3&cursor=${(first.body as Page<Member>).next_cursor}`, pagesKey);
    expect([...firstPage, ...rest].map((m) => m.id).sort()).toEqual([...memberIds, firstPage[0]!.id].sort());
    expect(rest.at(-1)).toMatchObject({ id: firstPage[0]!.id, sis_id: 'MOVED' });
  });
});

describe('Idempotency-Key', () => {
  const post = (k: string, body: unknown, apiKey = key) => callApi('POST', '/api/v1/enrolments', { key: apiKey, body, headers: { 'idempotency-key': k } });

  it('a replay within 24 hours returns the stored response, marked, and creates nothing new', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const body = { course: course.id, member: m.membershipId };
    const k = randomUUID();
    const first = await post(k, body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const count = await enrolmentCount(course.id);
    const replay = await post(k, body);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    expect(await enrolmentCount(course.id)).toBe(count);
    // Without the key, the same request is a new one: "already enrolled" (200).
    expect((await callApi('POST', '/api/v1/enrolments', { key, body })).status).toBe(200);
  });

  it('the same key with a different request is 422 idempotency-key-reused and does nothing', async () => {
    const [a, b] = [await addMember(acme.tenant, 'learner'), await addMember(acme.tenant, 'learner')];
    const k = randomUUID();
    expect((await post(k, { course: course.id, member: a.membershipId })).status).toBe(201);
    const reused = expectProblem(await post(k, { course: course.id, member: b.membershipId }), 422, 'idempotency-key-reused');
    expect(reused.detail).toContain(k);
    expect(await enrolmentIdOf(course.id, b.user.id)).toBeUndefined();
  });

  it('ten concurrent POSTs with one key make one enrolment and all get its answer', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const k = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => post(k, { course: course.id, member: m.membershipId })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(new Set(results.map((r) => (r.body as Enrolment).id)).size).toBe(1);
    expect(await owner`select 1 from enrolments where course_id = ${course.id} and user_id = ${m.user.id}`).toHaveLength(1);
  });

  it('a key older than 24 hours is executed again', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const k = randomUUID();
    const first = await post(k, { course: course.id, member: m.membershipId });
    const firstId = (first.body as Enrolment).id;
    expect((await callApi('DELETE', `/api/v1/enrolments/${firstId}`, { key })).status).toBe(204);
    expect((await post(k, { course: course.id, member: m.membershipId })).headers.get('idempotent-replayed')).toBe('true');
    await owner`update idempotency_keys set created_at = now() - interval '24 hours 1 minute' where key = ${k}`;
    const again = await post(k, { course: course.id, member: m.membershipId });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect((again.body as Enrolment).id).not.toBe(firstId);
    expect(await enrolmentIdOf(course.id, m.user.id)).toBe((again.body as Enrolment).id);
  });

  it('keys belong to one API key; a refused request stores nothing; a malformed key is 400', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const k = randomUUID();
    const otherKey = await makeApiKey(acme.owner, ['enrolments:write']);
    expect((await post(k, { course: course.id, member: m.membershipId })).status).toBe(201);
    const other = await post(k, { course: course.id, member: m.membershipId }, otherKey);
    expect(other.status).toBe(200); // executed for this API key: already enrolled
    expect(other.headers.get('idempotent-replayed')).toBeNull();

    const n = await addMember(acme.tenant, 'learner');
    const k2 = randomUUID();
    expectProblem(await post(k2, { course: randomUUID(), member: n.membershipId }), 404, 'not-found');
    expect((await post(k2, { course: course.id, member: n.membershipId })).status).toBe(201);

    for (const bad of ['has space', 'x'.repeat(256), 'ünïcode']) expectProblem(await post(bad, { course: course.id, member: n.membershipId }), 400, 'idempotency-key-invalid');
  });
});

describe('ETag', () => {
  it('GET returns an ETag; If-None-Match with it is 304 without a body; after a change it is 200 with a new ETag', async () => {
    const path = `/api/v1/courses/${course.id}`;
    const first = await callApi('GET', path, { key });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    const same = await callApi('GET', path, { key, headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    expect((await callApi('GET', path, { key, headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
    expect((await callApi('PATCH', path, { key, body: { sis_id: 'ETAG-1' } })).status).toBe(200);
    const changed = await callApi('GET', path, { key, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((changed.body as Course).sis_id).toBe('ETAG-1');
    await callApi('PATCH', path, { key, body: { sis_id: null } });

    const list = await callApi('GET', '/api/v1/enrolments', { key });
    expect((await callApi('GET', '/api/v1/enrolments', { key, headers: { 'if-none-match': list.headers.get('etag')! } })).status).toBe(304);
  });
});

describe('request ids', () => {
  it('every response carries x-request-id: success, 201, 204, 304 and problems; a sent one is kept and quoted in problems', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const created = await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId } });
    const get = await callApi('GET', `/api/v1/courses/${course.id}`, { key });
    const responses = [
      created,
      get,
      await callApi('GET', `/api/v1/courses/${course.id}`, { key, headers: { 'if-none-match': get.headers.get('etag')! } }),
      await callApi('DELETE', `/api/v1/enrolments/${(created.body as Enrolment).id}`, { key }),
      await callApi('GET', '/api/v1/members'),
      await callApi('GET', `/api/v1/members/${randomUUID()}`, { key }),
      await callApi('PATCH', `/api/v1/courses/${course.id}`, { key, body: { nope: 1 } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 200, 304, 204, 401, 404, 422]);
    for (const r of responses) expect(r.headers.get('x-request-id'), String(r.status)).toMatch(/^[0-9a-f-]{36}$/);
    for (const r of responses.slice(4)) expect(problemOf(r).request_id).toBe(r.headers.get('x-request-id'));
    const traced = await callApi('GET', `/api/v1/members/${randomUUID()}`, { key, headers: { 'x-request-id': 'trace-42' } });
    expect(traced.headers.get('x-request-id')).toBe('trace-42');
    expect(problemOf(traced).request_id).toBe('trace-42');
  });
});

describe('sis ids', () => {
  it('PATCH sets sis ids on a member, a course and an enrolment; each is then addressable as sis:<id>; null clears', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const c = await shortCourse(acme.owner, 'Algebra');
    expect(((await callApi('PATCH', `/api/v1/courses/${c.id}`, { key, body: { sis_id: 'ABC-101' } })).body as Course).sis_id).toBe('ABC-101');
    expect(((await callApi('PATCH', `/api/v1/members/${m.membershipId}`, { key, body: { sis_id: 'EMP-7' } })).body as Member).sis_id).toBe('EMP-7');
    const created = await callApi('POST', '/api/v1/enrolments', { key, body: { course: 'sis:ABC-101', member: 'sis:EMP-7' } });
    expect(created.status).toBe(201);
    const e = created.body as Enrolment;
    expect(e).toMatchObject({ course_id: c.id, member_id: m.membershipId, role: 'learner' });
    expect(((await callApi('PATCH', `/api/v1/enrolments/${e.id}`, { key, body: { sis_id: 'ENR-1' } })).body as Enrolment).sis_id).toBe('ENR-1');

    expect(((await callApi('GET', '/api/v1/courses/sis:ABC-101', { key })).body as Course).id).toBe(c.id);
    expect(((await callApi('GET', '/api/v1/members/sis:EMP-7', { key })).body as Member).id).toBe(m.membershipId);
    expect(((await callApi('GET', '/api/v1/enrolments/sis:ENR-1', { key })).body as Enrolment).id).toBe(e.id);
    expect((await callApi('GET', '/api/v1/enrolments/sis:ENR-1/progress', { key })).status).toBe(200);
    expect((await callApi('GET', '/api/v1/courses/sis:ABC-101/modules', { key })).status).toBe(200);
    const filtered = await callApi('GET', '/api/v1/enrolments?course=sis:ABC-101&member=sis:EMP-7', { key });
    expect((filtered.body as Page<Enrolment>).data.map((x) => x.id)).toEqual([e.id]);

    expect(((await callApi('PATCH', '/api/v1/courses/sis:ABC-101', { key, body: { sis_id: null } })).body as Course).sis_id).toBeNull();
    expectProblem(await callApi('GET', '/api/v1/courses/sis:ABC-101', { key }), 404, 'not-found');
    expect(((await callApi('GET', `/api/v1/courses/${c.id.toUpperCase()}`, { key })).body as Course).id).toBe(c.id);
  });

  it('a sis id already in use is 409 conflict and stays where it was; a malformed one is 422', async () => {
    const [a, b] = [await shortCourse(acme.owner, 'Dup A'), await shortCourse(acme.owner, 'Dup B')];
    await callApi('PATCH', `/api/v1/courses/${a.id}`, { key, body: { sis_id: 'DUP-1' } });
    const clash = expectProblem(await callApi('PATCH', `/api/v1/courses/${b.id}`, { key, body: { sis_id: 'DUP-1' } }), 409, 'conflict');
    expect(clash.detail).toContain('DUP-1');
    expect(((await callApi('GET', '/api/v1/courses/sis:DUP-1', { key })).body as Course).id).toBe(a.id);
    const [x, y] = [await addMember(acme.tenant, 'learner'), await addMember(acme.tenant, 'learner')];
    await callApi('PATCH', `/api/v1/members/${x.membershipId}`, { key, body: { sis_id: 'DUP-M' } });
    expectProblem(await callApi('PATCH', `/api/v1/members/${y.membershipId}`, { key, body: { sis_id: 'DUP-M' } }), 409, 'conflict');
    const ex = await enrol(acme.owner, a, x);
    const ey = await enrol(acme.owner, a, y);
    await callApi('PATCH', `/api/v1/enrolments/${ex}`, { key, body: { sis_id: 'DUP-E' } });
    expectProblem(await callApi('PATCH', `/api/v1/enrolments/${ey}`, { key, body: { sis_id: 'DUP-E' } }), 409, 'conflict');
    for (const bad of ['has space', '', 'x'.repeat(101)]) expectProblem(await callApi('PATCH', `/api/v1/courses/${b.id}`, { key, body: { sis_id: bad } }), 422, 'validation-failed');
  });
});

describe('enrolments', () => {
  it('POST creates (201 + Location), again is 200 with the same enrolment and its role unchanged', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const created = await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId, role: 'ta' } });
    expect(created.status).toBe(201);
    const e = created.body as Enrolment;
    expect(e).toMatchObject({ course_id: course.id, member_id: m.membershipId, user_id: m.user.id, role: 'ta', status: 'active' });
    expect(created.headers.get('location')).toBe(`/api/v1/enrolments/${e.id}`);
    expect((await callApi('GET', created.headers.get('location')!, { key })).body).toEqual(e);
    const again = await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId, role: 'learner' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBeNull();
    expect(again.body).toMatchObject({ id: e.id, role: 'ta' });
  });

  it('PATCH changes the course role (and the seat count); DELETE is 204, then the enrolment and its progress are 404', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const e = (await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId } })).body as Enrolment;
    const seats = async () => ((await callApi('GET', `/api/v1/courses/${course.id}`, { key })).body as Course).seats_taken;
    const before = await seats();
    const patched = await callApi('PATCH', `/api/v1/enrolments/${e.id}`, { key, body: { role: 'ta' } });
    expect(patched.body).toMatchObject({ id: e.id, role: 'ta' });
    expect(await seats()).toBe(before - 1);
    expect((await callApi('PATCH', `/api/v1/enrolments/${e.id}`, { key, body: { role: 'learner' } })).status).toBe(200);
    expect(await seats()).toBe(before);
    const deleted = await callApi('DELETE', `/api/v1/enrolments/${e.id}`, { key });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(await seats()).toBe(before - 1);
    expectProblem(await callApi('GET', `/api/v1/enrolments/${e.id}`, { key }), 404, 'not-found');
    expectProblem(await callApi('GET', `/api/v1/enrolments/${e.id}/progress`, { key }), 404, 'not-found');
    expectProblem(await callApi('DELETE', `/api/v1/enrolments/${e.id}`, { key }), 404, 'not-found');
  });

  it('the last instructor of a course cannot be demoted or removed (409)', async () => {
    const c = await shortCourse(acme.owner, 'One instructor');
    const [row] = await owner<{ id: string }[]>`select id from enrolments where course_id = ${c.id} and role = 'instructor'`;
    expectProblem(await callApi('PATCH', `/api/v1/enrolments/${row!.id}`, { key, body: { role: 'ta' } }), 409, 'conflict');
    expectProblem(await callApi('DELETE', `/api/v1/enrolments/${row!.id}`, { key }), 409, 'conflict');
    expect(await owner`select role from enrolments where id = ${row!.id}`).toEqual([{ role: 'instructor' }]);
  });

  it('on a Free organisation past its learner seats, enrolling a learner is 402 plan-limit and writes nothing; staff still go in', async () => {
    const free = await makeOrg('freeorg', { plan: 'free' });
    const freeKey = await makeApiKey(free.owner, ['enrolments:write', 'enrolments:read']);
    const c = await shortCourse(free.owner, 'Popular');
    await owner`insert into users (name, email) select 'Seat ' || n, 'seat' || n || '@freeorg.test' from generate_series(1, 26) n`;
    await owner`insert into memberships (tenant_id, user_id, role) select ${free.tenant.id}, id, 'learner' from users where email like 'seat%@freeorg.test'`;
    const newcomer = await addMember(free.tenant, 'instructor');
    const before = await enrolmentCount(c.id);
    const refused = expectProblem(await callApi('POST', '/api/v1/enrolments', { key: freeKey, body: { course: c.id, member: newcomer.membershipId } }), 402, 'plan-limit');
    expect(refused.detail).toMatch(/seat/i);
    expect(await enrolmentCount(c.id)).toBe(before);
    const staff = await callApi('POST', '/api/v1/enrolments', { key: freeKey, body: { course: c.id, member: newcomer.membershipId, role: 'ta' } });
    expect(staff.status).toBe(201);
    expectProblem(await callApi('PATCH', `/api/v1/enrolments/${(staff.body as Enrolment).id}`, { key: freeKey, body: { role: 'learner' } }), 402, 'plan-limit');
    expect(await owner`select role from enrolments where id = ${(staff.body as Enrolment).id}`).toEqual([{ role: 'ta' }]);
  });

  it('concurrent POSTs for the same member and course without Idempotency-Key make one enrolment and never fail with 500', async () => {
    const m = await addMember(acme.tenant, 'learner');
    const results = await Promise.all(Array.from({ length: 6 }, () => callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(await owner`select 1 from enrolments where course_id = ${course.id} and user_id = ${m.user.id}`).toHaveLength(1);
  });
});
