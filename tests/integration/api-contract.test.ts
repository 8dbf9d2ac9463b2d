/**
 * The contract: every response of every /api/v1 operation, success and failure, is checked against the
 * OpenAPI document integrators generate their clients from (JSON Schema 2020-12 with Ajv). A status the
 * document does not list for the operation fails, and so does an operation or documented status no test
 * here produced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttempt } from '@/lib/assessment/attempts';
import { createQuestion } from '@/lib/assessment/bank';
import { API_SCOPES } from '@/lib/api/keys';
import { openApiDocument } from '@/lib/api/openapi';
import { PROBLEM_BASE, PROBLEM_TYPES } from '@/lib/api/problem';
import { ENDPOINTS } from '@/lib/api/v1';
import type { MemberContext } from '@/lib/auth/context';
import { addItem, addModule } from '@/lib/courses/structure';
import { drainOnce } from '@/lib/jobs/worker';
import { callApi, makeApiKey, type ApiResponse } from '../support/api';
import { completeCourse, shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// Before anything reads the configuration (env() is parsed once per process): a tiny per-IP allowance that
// only requests carrying X-Forwarded-For meet, so 429 can be produced for every operation.
const savedEnv = { TRUST_PROXY: process.env.TRUST_PROXY, API_RATE_LIMIT_PER_IP: process.env.API_RATE_LIMIT_PER_IP, FILES_DIR: process.env.FILES_DIR };
process.env.TRUST_PROXY = '1';
process.env.API_RATE_LIMIT_PER_IP = '3';
const filesDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-api-contract-'));
process.env.FILES_DIR = filesDir;

const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  rmSync(filesDir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

type Json = Record<string, unknown>;
type Operation = { operationId: string; responses: Record<string, Json>; parameters?: Json[]; 'x-required-scope'?: string };

const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Operation>>; components: Json & { schemas: Record<string, Json> } };
const DOC_ID = 'https://lectern.test/openapi.json';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, DOC_ID);

/** JSON Pointer (RFC 6901) for a fragment, each segment escaped and URI-encoded. */
const pointer = (...segments: string[]) => '#/' + segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(ref: string) {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: DOC_ID + ref });
    validators.set(ref, v);
  }
  return v;
}

/** Resolve a local `#/…` reference in the document. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

function operationOf(method: string, pathname: string): { template: string; op: Operation } {
  const found = templates.find((t) => t.pattern.test(pathname) && doc.paths[t.template]![method.toLowerCase()]);
  if (!found) throw new Error(`the document has no operation for ${method} ${pathname}`);
  return { template: found.template, op: doc.paths[found.template]![method.toLowerCase()]! };
}

/** operationId → the statuses seen. */
const seen = new Map<string, Set<number>>();

/**
 * Call the API and check the response against the document: the status is listed for the operation, the
 * body matches its schema and media type, problems are consistent, and every response has its request id.
 */
async function call(method: string, pathWithQuery: string, opts: Parameters<typeof callApi>[2] = {}): Promise<ApiResponse> {
  const res = await callApi(method, pathWithQuery, opts);
  const { pathname } = new URL(pathWithQuery, 'http://localhost:3000');
  const { template, op } = operationOf(method, pathname);
  const where = `${method} ${pathWithQuery} → ${res.status} ${res.text.slice(0, 300)}`;
  (seen.get(op.operationId) ?? seen.set(op.operationId, new Set()).get(op.operationId)!).add(res.status);

  let spec = op.responses[String(res.status)];
  expect(spec, `status ${res.status} is documented for ${op.operationId} (${where})`).toBeDefined();
  const specRef = typeof spec!.$ref === 'string' ? (spec!.$ref as string) : null;
  if (specRef) spec = resolve(specRef) as Json;
  expect(res.headers.get('x-request-id'), `request id on ${where}`).toBeTruthy();

  const content = spec!.content as Record<string, { schema: Json }> | undefined;
  if (res.status === 204 || res.status === 304) {
    expect(content, `${res.status} documents no body`).toBeUndefined();
    expect(res.text, `no body on ${where}`).toBe('');
    return res;
  }
  const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  expect(content && Object.keys(content), `media type of ${where}`).toContain(mediaType);
  const schemaRef = specRef ? pointer(...specRef.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')), 'content', mediaType, 'schema') : pointer('paths', template, method.toLowerCase(), 'responses', String(res.status), 'content', mediaType, 'schema');
  const validate = validatorFor(schemaRef);
  const valid = validate(res.body);
  expect(valid, `${where}\n${ajv.errorsText(validate.errors, { separator: '\n' })}`).toBe(true);

  if (res.status >= 400) {
    expect(mediaType).toBe('application/problem+json');
    const problem = res.body as { type: string; status: number; request_id?: string; instance?: string };
    const type = problem.type.slice(PROBLEM_BASE.length) as keyof typeof PROBLEM_TYPES;
    expect(PROBLEM_TYPES[type]?.status, `the problem type's fixed status (${where})`).toBe(res.status);
    expect(problem.status).toBe(res.status);
    expect(problem.request_id).toBe(res.headers.get('x-request-id'));
    expect(problem.instance).toBe(pathname);
  } else {
    expect(mediaType).toBe('application/json');
    if (method === 'GET') expect(res.headers.get('etag'), `ETag on ${where}`).toMatch(/^W\/".+"$/);
    if (res.status === 201) expect(res.headers.get('location'), `Location on ${where}`).toBe(`/api/v1/enrolments/${(res.body as { id: string }).id}`);
    const next = (res.body as { next_cursor?: string | null }).next_cursor;
    if (next) expect(res.headers.get('link'), `Link on ${where}`).toContain(`cursor=${next}>; rel="next"`);
    else expect(res.headers.get('link')).toBeNull();
  }
  return res;
}

let acme: Org;
let full: Org;
let key: string;
let fullKey: string;
let certificatesOnlyKey: string;
let membersOnlyKey: string;
let course: ShortCourse;
let other: ShortCourse;
let learner: MemberContext;
let teacher: MemberContext;
let enrolmentId: string;
let fullCourse: ShortCourse;
let fullTa: { enrolmentId: string };

const ALL = [...API_SCOPES];
const ids = () => ({ course: course.id, learner: learner.membershipId, enrolment: enrolmentId });

beforeAll(async () => {
  acme = await makeOrg('acme');
  key = await makeApiKey(acme.owner, ALL);
  certificatesOnlyKey = await makeApiKey(acme.owner, ['certificates:read'], { name: 'Certificates only' });
  membersOnlyKey = await makeApiKey(acme.owner, ['members:read'], { name: 'Members only' });

  // A course with a lesson (completed: a certificate) and an optional quiz (an attempt in progress).
  course = await shortCourse(acme.owner, 'Contract course');
  other = await shortCourse(acme.owner, 'Other course');
  const question = await as(acme.owner, (tx, c) => createQuestion(tx, c, course.id, { type: 'true_false', promptHtml: '<p>True?</p>', points: 1, definition: { correct: true } }));
  const mod = await as(acme.owner, (tx, c) => addModule(tx, c, course.id, { title: 'Quizzes' }));
  const quiz = await as(acme.owner, (tx, c) => addItem(tx, c, mod.id, 'quiz', { title: 'Check', questionIds: question.id }));
  learner = await addMember(acme.tenant, 'learner');
  teacher = await addMember(acme.tenant, 'instructor');
  await completeCourse(learner, course);
  await drainOnce();
  await as(learner, (tx, c) => startAttempt(tx, c, quiz.id));
  const [e] = await owner<{ id: string }[]>`select id from enrolments where course_id = ${course.id} and user_id = ${learner.user.id}`;
  enrolmentId = e!.id;

  // A Free organisation with more learners than its 25 seats (as after a downgrade): enrolling a learner is refused.
  full = await makeOrg('full', { plan: 'free' });
  fullKey = await makeApiKey(full.owner, ALL);
  fullCourse = await shortCourse(full.owner, 'Full course');
  await owner`insert into users (name, email) select 'Learner ' || n, 'l' || n || '@full.test' from generate_series(1, 26) n`;
  await owner`insert into memberships (tenant_id, user_id, role) select ${full.tenant.id}, id, 'learner' from users where email like '%@full.test' and email like 'l%'`;
  const ta = await addMember(full.tenant, 'instructor');
  const [taEnrolment] = await owner<{ id: string }[]>`
    insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at)
    values (${full.tenant.id}, ${fullCourse.id}, ${ta.user.id}, 'ta', 'active', now()) returning id`;
  fullTa = { enrolmentId: taEnrolment!.id };
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with unique operation ids, resolvable references and declared path parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Lectern REST API', version: expect.any(String) });
    const opIds: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      expect(template).toMatch(/^\/api\/v1\//);
      for (const [method, op] of Object.entries(ops)) {
        expect(['get', 'post', 'patch', 'put', 'delete']).toContain(method);
        opIds.push(op.operationId);
        expect(Object.keys(op.responses).length, op.operationId).toBeGreaterThan(0);
        for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
        // Every {name} in the path is a required path parameter, and no other path parameter is declared.
        const inPath = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort(), op.operationId).toEqual(inPath.sort());
        for (const p of declared) expect(p.required, `${op.operationId} ${String(p.name)}`).toBe(true);
        expect(ALL, `${op.operationId} names an existing scope`).toContain(op['x-required-scope']);
      }
    }
    expect(new Set(opIds).size, `duplicate operationId in ${opIds.join(', ')}`).toBe(opIds.length);
    expect(opIds.sort()).toEqual((Object.values(ENDPOINTS) as { operationId: string }[]).map((e) => e.operationId).sort());

    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') refs.push(String(v));
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolve(ref), `$ref ${ref} resolves`).toBeDefined();
    // Every schema in components compiles as JSON Schema 2020-12.
    for (const name of Object.keys(doc.components.schemas)) expect(() => validatorFor(pointer('components', 'schemas', name)), name).not.toThrow();
  });
});

describe('every operation answers as documented', () => {
  it('the checker refuses a body that strays from the schema (a missing field, an unknown field, a wrong format)', async () => {
    const good = (await call('GET', `/api/v1/courses/${course.id}`, { key })).body as Json;
    const validate = validatorFor(pointer('components', 'schemas', 'Course'));
    expect(validate(good)).toBe(true);
    const { title: _, ...missing } = good;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...good, answer_key: 'x' })).toBe(false);
    expect(validate({ ...good, created_at: 'yesterday' })).toBe(false);
    expect(validate({ ...good, id: 'not-a-uuid' })).toBe(false);
  });

  it('listMembers, getMember, updateMember', async () => {
    const { learner: member } = ids();
    const list = await call('GET', '/api/v1/members?limit=2', { key });
    expect((list.body as { data: unknown[] }).data).toHaveLength(2);
    await call('GET', '/api/v1/members?role=learner&active=true', { key });
    await call('GET', `/api/v1/members/${member}`, { key });
    await call('GET', `/api/v1/members/${randomUUID()}`, { key });
    await call('PATCH', `/api/v1/members/${member}`, { key, body: { sis_id: 'L-1' } });
    await call('GET', '/api/v1/members/sis:L-1', { key });
    await call('PATCH', `/api/v1/members/${teacher.membershipId}`, { key, body: { sis_id: 'L-1' } }); // 409
    await call('PATCH', `/api/v1/members/${randomUUID()}`, { key, body: { sis_id: 'X' } }); // 404
    await call('PATCH', `/api/v1/members/${member}`, { key, body: { sis_id: 'L-1', nickname: 'x' } }); // 422
    await call('PATCH', `/api/v1/members/${member}`, { key, rawBody: '{"sis_id":', headers: { 'content-type': 'application/json' } }); // 400
    await call('PATCH', `/api/v1/members/${member}`, { key, rawBody: 'sis_id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }); // 415
  });

  it('listCourses, getCourse, updateCourse, listModules', async () => {
    await call('GET', '/api/v1/courses', { key });
    await call('GET', '/api/v1/courses?status=published&limit=1', { key });
    await call('GET', `/api/v1/courses/${course.id}`, { key });
    await call('GET', `/api/v1/courses/sis:NOPE`, { key });
    await call('PATCH', `/api/v1/courses/${course.id}`, { key, body: { sis_id: 'C-1' } });
    await call('PATCH', `/api/v1/courses/${other.id}`, { key, body: { sis_id: 'C-1' } }); // 409
    await call('PATCH', `/api/v1/courses/sis:NOPE`, { key, body: { sis_id: 'C-2' } }); // 404
    await call('PATCH', `/api/v1/courses/${course.id}`, { key, body: { sis_id: 12 } }); // 422
    await call('PATCH', `/api/v1/courses/${course.id}`, { key, rawBody: 'not json', headers: { 'content-type': 'application/json' } }); // 400
    await call('PATCH', `/api/v1/courses/${course.id}`, { key, rawBody: '{}', headers: { 'content-type': 'text/plain' } }); // 415
    const modules = await call('GET', `/api/v1/courses/${course.id}/modules`, { key });
    expect((modules.body as { data: { items: unknown[] }[] }).data.flatMap((m) => m.items)).toHaveLength(2);
    await call('GET', `/api/v1/courses/${randomUUID()}/modules`, { key });
  });

  it('listEnrolments, createEnrolment, getEnrolment, updateEnrolment, deleteEnrolment, getProgress', async () => {
    await call('GET', '/api/v1/enrolments', { key });
    await call('GET', `/api/v1/enrolments?course=${course.id}&completed=true`, { key });
    await call('GET', `/api/v1/enrolments?limit=1&role=learner`, { key });
    expect((await call('GET', '/api/v1/enrolments?course=sis:NOPE', { key })).status).toBe(404);
    const newcomer = await addMember(acme.tenant, 'learner');
    const created = await call('POST', '/api/v1/enrolments', { key, body: { course: other.id, member: newcomer.membershipId } });
    expect(created.status).toBe(201);
    const again = await call('POST', '/api/v1/enrolments', { key, body: { course: other.id, member: newcomer.membershipId } });
    expect(again.status).toBe(200);
    const id = (created.body as { id: string }).id;
    await call('POST', '/api/v1/enrolments', { key, body: { course: randomUUID(), member: newcomer.membershipId } }); // 404
    await call('POST', '/api/v1/enrolments', { key, body: { course: other.id, member: newcomer.membershipId, grade: 'A' } }); // 422
    await call('POST', '/api/v1/enrolments', { key, rawBody: '[', headers: { 'content-type': 'application/json' } }); // 400
    await call('POST', '/api/v1/enrolments', { key, rawBody: '{}', headers: { 'content-type': 'text/csv' } }); // 415
    await call('PATCH', `/api/v1/enrolments/${enrolmentId}`, { key, body: { sis_id: 'E-1' } });
    const clash = await call('POST', '/api/v1/enrolments', { key, body: { course: other.id, member: teacher.membershipId, role: 'ta', sis_id: 'E-1' } });
    expect(clash.status).toBe(409);
    // On the Free organisation past its seats: no more learners (402), by enrolment or by role change.
    const fullLearner = await addMember(full.tenant, 'instructor');
    const limited = await call('POST', '/api/v1/enrolments', { key: fullKey, body: { course: fullCourse.id, member: fullLearner.membershipId } });
    expect(limited.status).toBe(402);
    expect((await call('PATCH', `/api/v1/enrolments/${fullTa.enrolmentId}`, { key: fullKey, body: { role: 'learner' } })).status).toBe(402);

    await call('GET', `/api/v1/enrolments/${id}`, { key });
    await call('GET', '/api/v1/enrolments/sis:E-1', { key });
    await call('GET', `/api/v1/enrolments/${randomUUID()}`, { key });
    await call('PATCH', `/api/v1/enrolments/${id}`, { key, body: { role: 'ta' } });
    await call('PATCH', `/api/v1/enrolments/${id}`, { key, body: { sis_id: 'E-1' } }); // 409
    await call('PATCH', `/api/v1/enrolments/sis:NOPE`, { key, body: { role: 'ta' } }); // 404
    await call('PATCH', `/api/v1/enrolments/${id}`, { key, body: { role: 'owner' } }); // 422
    await call('PATCH', `/api/v1/enrolments/${id}`, { key, rawBody: '{', headers: { 'content-type': 'application/json' } }); // 400
    await call('PATCH', `/api/v1/enrolments/${id}`, { key, rawBody: 'role=ta', headers: { 'content-type': 'application/x-www-form-urlencoded' } }); // 415

    await call('GET', `/api/v1/enrolments/${enrolmentId}/progress`, { key });
    await call('GET', `/api/v1/enrolments/${randomUUID()}/progress`, { key });

    expect((await call('DELETE', `/api/v1/enrolments/${id}`, { key })).status).toBe(204);
    await call('DELETE', `/api/v1/enrolments/${id}`, { key }); // 404
    // The course's only instructor cannot be removed (409), as on the roster page.
    const [instructor] = await owner<{ id: string }[]>`select id from enrolments where course_id = ${other.id} and role = 'instructor'`;
    expect((await call('DELETE', `/api/v1/enrolments/${instructor!.id}`, { key })).status).toBe(409);
  });

  it('listGradebookRows, listQuizAttempts, listCertificates', async () => {
    const book = await call('GET', `/api/v1/courses/${course.id}/gradebook`, { key });
    expect((book.body as { data: unknown[] }).data).toHaveLength(1);
    await call('GET', `/api/v1/courses/sis:NOPE/gradebook`, { key });
    await call('GET', `/api/v1/courses/${course.id}/gradebook?cursor=garbage`, { key }); // 400
    const attempts = await call('GET', `/api/v1/courses/${course.id}/quiz-attempts`, { key });
    expect((attempts.body as { data: unknown[] }).data).toHaveLength(1);
    await call('GET', `/api/v1/courses/${course.id}/quiz-attempts?enrolment=${enrolmentId}&started_since=2020-01-01T00:00:00Z`, { key });
    await call('GET', `/api/v1/courses/${randomUUID()}/quiz-attempts`, { key });
    const certs = await call('GET', '/api/v1/certificates', { key });
    expect((certs.body as { data: unknown[] }).data).toHaveLength(1);
    await call('GET', `/api/v1/certificates?member=${randomUUID()}`, { key }); // 404
  });

  it('every operation: 401 without a key, 403 without its scope, 400 for an unknown query parameter, 304 for a matching ETag, 429 when rate limited', async () => {
    const { course: c, learner: m, enrolment: e } = ids();
    const requests: [string, string, unknown?][] = [
      ['GET', '/api/v1/members'],
      ['GET', `/api/v1/members/${m}`],
      ['PATCH', `/api/v1/members/${m}`, { sis_id: null }],
      ['GET', '/api/v1/courses'],
      ['GET', `/api/v1/courses/${c}`],
      ['PATCH', `/api/v1/courses/${c}`, { sis_id: null }],
      ['GET', `/api/v1/courses/${c}/modules`],
      ['GET', `/api/v1/courses/${c}/gradebook`],
      ['GET', `/api/v1/courses/${c}/quiz-attempts`],
      ['GET', '/api/v1/enrolments'],
      ['POST', '/api/v1/enrolments', { course: c, member: m }],
      ['GET', `/api/v1/enrolments/${e}`],
      ['PATCH', `/api/v1/enrolments/${e}`, { sis_id: null }],
      ['DELETE', `/api/v1/enrolments/${randomUUID()}`],
      ['GET', `/api/v1/enrolments/${e}/progress`],
      ['GET', '/api/v1/certificates'],
    ];
    const noisyIp = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
    // Use up the address's allowance (a few more tries if a fresh Redis connection counted the first in process).
    for (let i = 0; i < 10; i++) if ((await callApi('GET', '/api/v1/certificates', { key, headers: { 'x-forwarded-for': noisyIp } })).status === 429) break;
    for (const [method, p, body] of requests) {
      expect((await call(method, p, { body })).status, `${method} ${p} without a key`).toBe(401);
      const wrongScope = await call(method, p, { key: p.startsWith('/api/v1/certificates') ? membersOnlyKey : certificatesOnlyKey, body });
      expect(wrongScope.status, `${method} ${p} without its scope`).toBe(403);
      const sep = p.includes('?') ? '&' : '?';
      expect((await call(method, `${p}${sep}unexpected=1`, { key, body })).status, `${method} ${p}?unexpected=1`).toBe(400);
      if (method === 'GET') {
        const first = await call(method, p, { key });
        expect(first.status).toBe(200);
        expect((await call(method, p, { key, headers: { 'if-none-match': first.headers.get('etag')! } })).status, `${method} ${p} If-None-Match`).toBe(304);
      }
      const limited = await call(method, p, { key, body, headers: { 'x-forwarded-for': noisyIp } });
      expect(limited.status, `${method} ${p} from a rate-limited address`).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('every operation with a body refuses one larger than 1 MiB with 413', async () => {
    const big = JSON.stringify({ sis_id: 'x'.repeat(1024 * 1024 + 10) });
    const { course: c, learner: m, enrolment: e } = ids();
    for (const [method, p] of [['PATCH', `/api/v1/members/${m}`], ['PATCH', `/api/v1/courses/${c}`], ['POST', '/api/v1/enrolments'], ['PATCH', `/api/v1/enrolments/${e}`]] as const) {
      const res = await call(method, p, { key, rawBody: big, headers: { 'content-type': 'application/json' } });
      expect(res.status, `${method} ${p}`).toBe(413);
    }
  });

  it('every operation in the document was exercised, with every status it documents', () => {
    const missing: string[] = [];
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        const statuses = seen.get(op.operationId);
        if (!statuses) {
          missing.push(`${op.operationId}: never called`);
          continue;
        }
        for (const status of Object.keys(op.responses)) if (!statuses.has(Number(status))) missing.push(`${op.operationId}: ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
