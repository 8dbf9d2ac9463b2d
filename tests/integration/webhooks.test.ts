/**
 * Outbound webhooks end to end: endpoints registered through the service (SSRF guard), domain events fanned
 * out by the real jobs (embedded worker), delivered to a real HTTP receiver on 127.0.0.1 — reachable only
 * with the development allowance — whose signatures are checked by the official `standardwebhooks` package,
 * not by Lectern's own code. Time is driven through the delivery functions' `now`, never by sleeping.
 */
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { drainOnce } from '@/lib/jobs/worker';
import { changeRole, removeMember } from '@/lib/members/service';
import { deliverDueWebhooks, DISABLE_AFTER_MS, fanOutWebhookEvent, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '@/lib/webhooks/delivery';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  MAX_ENDPOINTS,
  listEndpoints,
  replayDelivery,
  rotateSecret,
  sendTestEvent,
  setEndpointEnabled,
  updateEndpoint,
} from '@/lib/webhooks/service';
import { completeCourse, shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { handlerContext } from '../support/jobs';
import { ownerSql } from '../support/owner';

// The development allowance (WEBHOOKS_ALLOW_PRIVATE) as a switch the tests flip; everything else is the real env.
const allowance = vi.hoisted(() => ({ on: true }));
vi.mock('@/lib/env', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/lib/env')>();
  return { ...actual, env: () => ({ ...actual.env(), WEBHOOKS_ALLOW_PRIVATE: allowance.on }) };
});

type Hit = { path: string; headers: Record<string, string>; body: string };
const hits: Hit[] = [];
const FAILURE_BODY = `upstream exploded: ${'x'.repeat(3000)}`;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    hits.push({ path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
    if (req.url?.startsWith('/hang')) return; // never answers
    if (req.url?.startsWith('/slow-fail')) setTimeout(() => res.writeHead(503).end('busy'), 400);
    else if (req.url?.startsWith('/fail')) res.writeHead(500, { 'content-type': 'text/plain' }).end(FAILURE_BODY);
    else res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const port = (receiver.address() as AddressInfo).port;
const local = (path: string) => `http://127.0.0.1:${port}${path}`;

const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  receiver.closeAllConnections(); // the /hang requests
  await new Promise<void>((r) => receiver.close(() => r()));
});
afterEach(() => {
  allowance.on = true;
  vi.restoreAllMocks();
});

/** What the receiver got on a path, verified by the official Standard Webhooks library (throws if not genuine). */
function verified(path: string, secret: string) {
  return hits.filter((h) => h.path === path).map((h) => ({ hit: h, payload: new Webhook(secret).verify(h.body, h.headers) as { type: string; timestamp: string; data: Record<string, unknown> } }));
}

/** Make the resolver answer `address` for `name` (anything else resolves as usual). */
function resolveAs(name: string, address: string | Error) {
  const real = dns.promises.lookup.bind(dns.promises);
  vi.spyOn(dns.promises, 'lookup').mockImplementation((async (host: string, opts: unknown) => {
    if (host !== name) return real(host, opts as never);
    if (address instanceof Error) throw address;
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  }) as never);
}

async function deliveriesOf(endpointId: string) {
  return owner<{ id: string; message_id: string; event_type: string; status: string; attempts: number; next_attempt_at: Date | null; last_attempt_at: Date | null; last_status_code: number | null; last_error: string | null }[]>`
    select id, message_id, event_type, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error from webhook_deliveries where endpoint_id = ${endpointId} order by created_at, id`;
}

const allTypes = { eventTypes: ['member.removed'] };

let acme: Org;
let globex: Org;
let admin: MemberContext;
let instructor: MemberContext;
let course: ShortCourse;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  admin = await addMember(acme.tenant, 'admin');
  instructor = await addMember(acme.tenant, 'instructor');
  course = await shortCourse(instructor, 'Webhook Basics');
  await drainOnce();
});

describe('registering endpoints (SSRF guard)', () => {
  const refused: [string, string][] = [
    ['https://127.0.0.1/hooks', 'webhookUrlPrivate'],
    ['https://10.1.2.3/hooks', 'webhookUrlPrivate'],
    ['https://172.16.5.4/hooks', 'webhookUrlPrivate'],
    ['https://192.168.1.10/hooks', 'webhookUrlPrivate'],
    ['https://169.254.169.254/latest/meta-data', 'webhookUrlPrivate'],
    ['https://100.64.0.1/hooks', 'webhookUrlPrivate'],
    ['https://0.0.0.0/hooks', 'webhookUrlPrivate'],
    ['https://224.0.0.1/hooks', 'webhookUrlPrivate'],
    ['https://2130706433/hooks', 'webhookUrlPrivate'], // 127.0.0.1 written as one number
    ['https://[::1]/hooks', 'webhookUrlPrivate'],
    ['https://[fe80::1]/hooks', 'webhookUrlPrivate'],
    ['https://[fd12:3456::1]/hooks', 'webhookUrlPrivate'],
    ['https://[::ffff:127.0.0.1]/hooks', 'webhookUrlPrivate'],
    ['https://[::ffff:10.0.0.1]/hooks', 'webhookUrlPrivate'],
    ['https://localhost/hooks', 'webhookUrlLocal'],
    ['https://hooks.acme.localhost/', 'webhookUrlLocal'],
    ['http://93.184.216.34/hooks', 'webhookUrlNotHttps'],
    ['https://user:secret@93.184.216.34/hooks', 'webhookUrlCredentials'],
    ['ftp://93.184.216.34/hooks', 'webhookUrlNotHttps'],
    ['not a url', 'webhookUrlInvalid'],
  ];

  it('refuses loopback, private, link-local, CGNAT, unique-local and IPv4-mapped addresses, local names, http and credentials', async () => {
    allowance.on = false;
    for (const [url, code] of refused) {
      const error = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url, eventTypes: ['enrolment.created'] })).catch((e: unknown) => e);
      expect(error, url).toBeInstanceOf(DomainError);
      expect((error as DomainError).code, url).toBe(code);
      expect((error as DomainError).field, url).toBe('url');
    }
    expect(await as(admin, listEndpoints)).toEqual([]);
  });

  it('refuses a host name that resolves to a private address, and one that does not resolve', async () => {
    allowance.on = false;
    resolveAs('intranet.example.com', '10.20.30.40');
    await expect(as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: 'https://intranet.example.com/hooks', eventTypes: ['enrolment.created'] }))).rejects.toMatchObject({
      code: 'webhookUrlPrivate',
      params: { address: '10.20.30.40' },
    });
    resolveAs('nowhere.example.com', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    await expect(as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: 'https://nowhere.example.com/hooks', eventTypes: ['enrolment.created'] }))).rejects.toMatchObject({
      code: 'webhookUrlUnresolvable',
    });
  });

  it('accepts a public https address without the allowance, and a loopback http one with it; the secret is shown once and kept encrypted', async () => {
    allowance.on = false;
    const pub = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: 'https://93.184.216.34/lectern', description: 'CRM', eventTypes: ['course.completed', 'enrolment.created', 'enrolment.created'] }));
    expect(pub.endpoint).toMatchObject({ url: 'https://93.184.216.34/lectern', description: 'CRM', eventTypes: ['enrolment.created', 'course.completed'], enabled: true });
    expect(pub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    allowance.on = true;
    const dev = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/dev'), eventTypes: ['member.joined'] }));
    expect(dev.endpoint.url).toBe(local('/dev'));
    // Stored encrypted, and never in the audit log.
    const [row] = await owner<{ secret_encrypted: string }[]>`select secret_encrypted from webhook_endpoints where id = ${pub.endpoint.id}`;
    expect(row!.secret_encrypted).not.toContain(pub.secret.slice(6, 20));
    const audit = await owner<{ action: string; after: unknown }[]>`select action, after from audit_log where target_id = ${pub.endpoint.id}`;
    expect(audit.map((a) => a.action)).toEqual(['webhook.endpoint_created']);
    expect(JSON.stringify(audit)).not.toContain(pub.secret.slice(6));
    // Unknown event types and an empty choice are refused.
    await expect(as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/x'), eventTypes: [] }))).rejects.toMatchObject({ code: 'webhookEventsMissing' });
    await expect(as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/x'), eventTypes: ['organisation.created'] }))).rejects.toMatchObject({ code: 'webhookEventsMissing' });
    // Editing passes the same guard.
    allowance.on = false;
    await expect(as(admin, (tx, ctx) => updateEndpoint(tx, ctx, pub.endpoint.id, { url: 'https://192.168.0.1/', eventTypes: ['enrolment.created'] }))).rejects.toMatchObject({ code: 'webhookUrlPrivate' });
    allowance.on = true;
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, pub.endpoint.id));
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, dev.endpoint.id));
  });

  it(`keeps an organisation to ${MAX_ENDPOINTS} endpoints`, async () => {
    const made = [];
    for (let i = 0; i < MAX_ENDPOINTS; i += 1) made.push(await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local(`/n${i}`), eventTypes: ['grade.changed'] })));
    await expect(as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/one-too-many'), eventTypes: ['grade.changed'] }))).rejects.toMatchObject({ code: 'webhookEndpointLimit', status: 409 });
    for (const m of made) await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, m.endpoint.id));
  });

  it('is for admins and owners only', async () => {
    await expect(as(instructor, listEndpoints)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(instructor, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/i'), eventTypes: ['enrolment.created'] }))).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('fan-out and delivery', () => {
  it('creates one delivery per subscribed endpoint, only for subscribed types, signed so the official library verifies it', async () => {
    const a = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/a'), eventTypes: ['enrolment.created', 'course.completed'] }));
    const b = await as(acme.owner, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/b'), eventTypes: ['member.role_changed'] }));
    const off = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/off'), eventTypes: ['enrolment.created', 'member.role_changed'] }));
    await as(admin, (tx, ctx) => setEndpointEnabled(tx, ctx, off.endpoint.id, false));

    const learner = await addMember(acme.tenant, 'learner', { name: 'Ada Lovelace' });
    await completeCourse(learner, course); // enrolment.created, item.completed, course.completed
    const staff = await addMember(acme.tenant, 'learner');
    await as(admin, (tx, ctx) => changeRole(tx, ctx, { membershipId: staff.membershipId, role: 'instructor' }));
    await drainOnce();

    const toA = verified('/a', a.secret);
    expect(toA.map((v) => v.payload.type).sort()).toEqual(['course.completed', 'enrolment.created']);
    const enrolled = toA.find((v) => v.payload.type === 'enrolment.created')!;
    expect(enrolled.payload.data).toMatchObject({ courseId: course.id, userId: learner.user.id, role: 'learner', source: 'self' });
    expect(new Date(enrolled.payload.timestamp).toISOString()).toBe(enrolled.payload.timestamp);
    const [outboxRow] = await owner<{ id: string }[]>`select id from outbox where name = 'lectern/enrolment.created.v1' and payload->>'userId' = ${learner.user.id}`;
    expect(enrolled.hit.headers['webhook-id']).toBe(outboxRow!.id);
    expect(enrolled.hit.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(enrolled.hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // Signed with A's secret, not B's: the official verifier refuses it under another secret.
    expect(() => new Webhook(b.secret).verify(enrolled.hit.body, enrolled.hit.headers)).toThrow();

    const toB = verified('/b', b.secret);
    expect(toB.map((v) => [v.payload.type, v.payload.data])).toEqual([['member.role_changed', { membershipId: staff.membershipId, userId: staff.user.id, from: 'learner', to: 'instructor' }]]);
    expect(hits.filter((h) => h.path === '/off')).toEqual([]);
    expect(await deliveriesOf(off.endpoint.id)).toEqual([]);
    expect((await deliveriesOf(a.endpoint.id)).map((d) => [d.event_type, d.status, d.attempts, d.last_status_code])).toEqual(
      expect.arrayContaining([
        ['enrolment.created', 'delivered', 1, 204],
        ['course.completed', 'delivered', 1, 204],
      ]),
    );

    // The same event again (a redelivery) adds no delivery and sends nothing.
    const before = hits.length;
    const [event] = await owner<{ id: string; payload: Record<string, unknown>; created_at: Date }[]>`select id, payload, created_at from outbox where id = ${outboxRow!.id}`;
    const again = await withTenant(acme.tenant.id, (tx) =>
      fanOutWebhookEvent(handlerContext(tx, acme.tenant.id, { id: event!.id, name: 'lectern/enrolment.created.v1', payload: event!.payload, createdAt: event!.created_at })),
    );
    expect(again).toBe(0);
    expect(hits.length).toBe(before);
    expect(await deliveriesOf(a.endpoint.id)).toHaveLength(2);

    for (const e of [a, b, off]) await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, e.endpoint.id));
  });

  it('retries a failing endpoint at 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then marks the delivery failed', async () => {
    const failing = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/fail/retry'), ...allTypes }));
    const leaver = await addMember(acme.tenant, 'learner');
    await as(admin, (tx, ctx) => removeMember(tx, ctx, { membershipId: leaver.membershipId }));
    await drainOnce();

    let [d] = await deliveriesOf(failing.endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    // The response body is kept as an excerpt of at most 1 KB.
    expect(d!.last_error!.startsWith('HTTP 500: upstream exploded: xxx')).toBe(true);
    expect(Buffer.byteLength(d!.last_error!.replace(/^HTTP 500: /, ''))).toBeLessThanOrEqual(1024);
    const start = d!.last_attempt_at!;
    let due = d!.next_attempt_at!;
    expect(due.getTime() - start.getTime()).toBe(RETRY_DELAYS_MS[0]);

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      // Not a moment early…
      const early = await withTenant(acme.tenant.id, (tx) => deliverDueWebhooks(tx, acme.tenant.id, new Date(due.getTime() - 1000)));
      expect(early.attempted).toBe(0);
      // …and on time.
      const run = await withTenant(acme.tenant.id, (tx) => deliverDueWebhooks(tx, acme.tenant.id, due));
      expect(run).toEqual({ attempted: 1, delivered: 0 });
      [d] = await deliveriesOf(failing.endpoint.id);
      expect(d!.attempts).toBe(attempt);
      expect(d!.last_attempt_at!.getTime()).toBe(due.getTime());
      if (attempt < MAX_ATTEMPTS) {
        expect(d!.status).toBe('pending');
        expect(d!.next_attempt_at!.getTime() - due.getTime()).toBe(RETRY_DELAYS_MS[attempt - 1]);
        due = d!.next_attempt_at!;
      }
    }
    expect(d).toMatchObject({ status: 'failed', attempts: 8, next_attempt_at: null });
    // Eight attempts over more than 24 hours (about 27.6), each one a real request with the same webhook-id.
    expect(d!.last_attempt_at!.getTime() - start.getTime()).toBe(27 * 3600_000 + 35 * 60_000 + 5_000);
    const received = verified('/fail/retry', failing.secret);
    expect(received).toHaveLength(8);
    expect(new Set(received.map((r) => r.hit.headers['webhook-id']))).toEqual(new Set([d!.message_id]));
    const attempts = await owner`select status_code from webhook_attempts where delivery_id = ${d!.id}`;
    expect(attempts.map((a) => a.status_code)).toEqual(Array(8).fill(500));
    // Nothing is due any more.
    expect(await withTenant(acme.tenant.id, (tx) => deliverDueWebhooks(tx, acme.tenant.id, new Date(Date.now() + 7 * 24 * 3600_000)))).toEqual({ attempted: 0, delivered: 0 });
    // Gone, so later tests' member.removed events do not leave retries of it behind.
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, failing.endpoint.id));
  });

  it('replay makes a new attempt now, with the same webhook-id: a fixed endpoint turns a failed delivery into a delivered one', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/fail/replay'), ...allTypes }));
    const leaver = await addMember(acme.tenant, 'learner');
    await as(admin, (tx, ctx) => removeMember(tx, ctx, { membershipId: leaver.membershipId }));
    await drainOnce();
    await owner`update webhook_deliveries set status = 'failed', next_attempt_at = null where endpoint_id = ${endpoint.endpoint.id}`;
    const [failed] = await deliveriesOf(endpoint.endpoint.id);

    const stillFailing = await as(admin, (tx, ctx) => replayDelivery(tx, ctx, failed!.id));
    expect(stillFailing).toMatchObject({ ok: false, statusCode: 500 });
    expect((await deliveriesOf(endpoint.endpoint.id))[0]).toMatchObject({ status: 'failed', attempts: 2 });

    await as(admin, (tx, ctx) => updateEndpoint(tx, ctx, endpoint.endpoint.id, { url: local('/replayed'), ...allTypes }));
    const fixed = await as(admin, (tx, ctx) => replayDelivery(tx, ctx, failed!.id));
    expect(fixed).toMatchObject({ ok: true, statusCode: 204 });
    expect((await deliveriesOf(endpoint.endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 204, last_error: null });
    const [got] = verified('/replayed', endpoint.secret);
    expect(got!.hit.headers['webhook-id']).toBe(failed!.message_id);
    expect(got!.payload.type).toBe('member.removed');
    expect((await as(admin, (tx, ctx) => getEndpoint(tx, ctx, endpoint.endpoint.id))).failingSince).toBeNull();

    const log = await as(admin, (tx, ctx) => listDeliveries(tx, ctx, endpoint.endpoint.id, { page: 1 }));
    expect(log.rows.map((r) => [r.eventType, r.status, r.attempts, r.lastStatusCode])).toEqual([['member.removed', 'delivered', 3, 204]]);
    const audit = await owner<{ action: string }[]>`select action from audit_log where target_id = ${failed!.id} order by created_at`;
    expect(audit.map((a) => a.action)).toEqual(['webhook.delivery_replayed', 'webhook.delivery_replayed']);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
  });

  it('a test event reaches the endpoint, and a rotated secret signs from then on (the old one no longer verifies)', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/test-event'), eventTypes: ['certificate.issued'] }));
    const outcome = await as(admin, (tx, ctx) => sendTestEvent(tx, ctx, endpoint.endpoint.id));
    expect(outcome).toMatchObject({ ok: true, statusCode: 204 });
    const [first] = verified('/test-event', endpoint.secret);
    expect(first!.payload).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.endpoint.id } });

    const { secret } = await as(admin, (tx, ctx) => rotateSecret(tx, ctx, endpoint.endpoint.id));
    expect(secret).not.toBe(endpoint.secret);
    await as(admin, (tx, ctx) => sendTestEvent(tx, ctx, endpoint.endpoint.id));
    const second = hits.filter((h) => h.path === '/test-event')[1]!;
    expect(() => new Webhook(endpoint.secret).verify(second.body, second.headers)).toThrow();
    expect(new Webhook(secret).verify(second.body, second.headers)).toMatchObject({ type: 'webhook.test' });

    const log = await as(admin, (tx, ctx) => listDeliveries(tx, ctx, endpoint.endpoint.id, { page: 1 }));
    expect(log.rows.map((r) => [r.eventType, r.status])).toEqual([
      ['webhook.test', 'delivered'],
      ['webhook.test', 'delivered'],
    ]);
    const audit = await owner<{ action: string }[]>`select action from audit_log where target_id = ${endpoint.endpoint.id} order by created_at, id`;
    expect(audit.map((a) => a.action).sort()).toEqual(['webhook.endpoint_created', 'webhook.secret_rotated', 'webhook.test_sent', 'webhook.test_sent']);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
  });
});

describe('an endpoint failing for days', () => {
  it('is disabled after 5 days of failures, its admins and owners are emailed once, and it gets nothing more until enabled', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/fail/days'), eventTypes: ['grade.changed'] }));
    const t0 = new Date();
    const event = (at: Date) =>
      withTenant(acme.tenant.id, (tx) =>
        fanOutWebhookEvent(handlerContext(tx, acme.tenant.id, { id: crypto.randomUUID(), name: 'lectern/grade.changed.v1', payload: { itemId: crypto.randomUUID() }, createdAt: at }), at),
      );
    await event(t0);
    expect((await as(admin, (tx, ctx) => getEndpoint(tx, ctx, endpoint.endpoint.id))).failingSince?.getTime()).toBe(t0.getTime());
    // A failure just under 5 days on: still enabled.
    await event(new Date(t0.getTime() + DISABLE_AFTER_MS - 60_000));
    expect((await as(admin, (tx, ctx) => getEndpoint(tx, ctx, endpoint.endpoint.id))).enabled).toBe(true);
    // At 5 days: disabled, with the reason, and mailed.
    await event(new Date(t0.getTime() + DISABLE_AFTER_MS));
    expect(await as(admin, (tx, ctx) => getEndpoint(tx, ctx, endpoint.endpoint.id))).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const mails = async () => owner<{ to: string; subject: string; text: string }[]>`select "to", subject, text from emails where tenant_id = ${acme.tenant.id} and subject like 'Webhook endpoint disabled%' order by "to"`;
    const sent = await mails();
    expect(sent.map((m) => m.to)).toEqual([admin.user.email, acme.owner.user.email].sort());
    expect(sent[0]!.subject).toBe(`Webhook endpoint disabled: ${local('/fail/days')}`);
    expect(sent[0]!.text).toContain(`/admin/webhooks/${endpoint.endpoint.id}`);
    expect(sent[0]!.text).toContain('HTTP 500');
    expect(await owner`select 1 from audit_log where target_id = ${endpoint.endpoint.id} and action = 'webhook.endpoint_disabled' and actor_user_id is null`).toHaveLength(1);

    // Disabled: new events make no delivery, and a further failure (a replay) mails nobody again.
    const hitsBefore = hits.length;
    expect(await event(new Date(t0.getTime() + DISABLE_AFTER_MS + 60_000))).toBe(0);
    const [last] = (await deliveriesOf(endpoint.endpoint.id)).slice(-1);
    await as(admin, (tx, ctx) => replayDelivery(tx, ctx, last!.id));
    expect(hits.length).toBe(hitsBefore + 1);
    expect(await mails()).toHaveLength(2);

    // Enabled again: a fresh start (failing_since cleared), and events flow again.
    await as(admin, (tx, ctx) => setEndpointEnabled(tx, ctx, endpoint.endpoint.id, true));
    expect(await as(admin, (tx, ctx) => getEndpoint(tx, ctx, endpoint.endpoint.id))).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    expect(await event(new Date())).toBe(1);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
  });
});

describe('isolation between organisations', () => {
  it('one organisation cannot see, change or replay another one’s endpoints and deliveries, nor receive its events', async () => {
    const acmeHook = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/acme-only'), eventTypes: ['member.role_changed'] }));
    const globexHook = await as(globex.owner, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/globex-only'), eventTypes: ['member.role_changed'] }));
    await as(acme.owner, (tx, ctx) => sendTestEvent(tx, ctx, acmeHook.endpoint.id));
    const [acmeDelivery] = await deliveriesOf(acmeHook.endpoint.id);

    const g = globex.owner;
    expect((await as(g, listEndpoints)).map((e) => e.id)).toEqual([globexHook.endpoint.id]);
    await expect(as(g, (tx, ctx) => getEndpoint(tx, ctx, acmeHook.endpoint.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => listDeliveries(tx, ctx, acmeHook.endpoint.id, { page: 1 }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => replayDelivery(tx, ctx, acmeDelivery!.id))).rejects.toMatchObject({ code: 'webhookDeliveryNotFound' });
    await expect(as(g, (tx, ctx) => sendTestEvent(tx, ctx, acmeHook.endpoint.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => rotateSecret(tx, ctx, acmeHook.endpoint.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => setEndpointEnabled(tx, ctx, acmeHook.endpoint.id, false))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => deleteEndpoint(tx, ctx, acmeHook.endpoint.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(g, (tx, ctx) => getEndpoint(tx, ctx, 'not-a-uuid'))).rejects.toBeInstanceOf(NotFoundError);
    expect(await as(acme.owner, (tx, ctx) => getEndpoint(tx, ctx, acmeHook.endpoint.id))).toMatchObject({ enabled: true });
    expect((await deliveriesOf(acmeHook.endpoint.id))[0]).toMatchObject({ attempts: 1 });

    // A role change in globex goes to globex's endpoint only.
    const person = await addMember(globex.tenant, 'learner');
    await as(g, (tx, ctx) => changeRole(tx, ctx, { membershipId: person.membershipId, role: 'instructor' }));
    await drainOnce();
    expect(verified('/globex-only', globexHook.secret).map((v) => v.payload.data.userId)).toEqual([person.user.id]);
    expect(hits.filter((h) => h.path === '/acme-only').map((h) => JSON.parse(h.body).type)).toEqual(['webhook.test']);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, acmeHook.endpoint.id));
    await as(g, (tx, ctx) => deleteEndpoint(tx, ctx, globexHook.endpoint.id));
  });
});

describe('an endpoint that does not answer', () => {
  it('is given 10 seconds, then the attempt fails as a timeout', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/hang'), eventTypes: ['grade.changed'] }));
    const outcome = await as(admin, (tx, ctx) => sendTestEvent(tx, ctx, endpoint.endpoint.id));
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'no response within 10 s' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(9_900);
    expect(outcome.durationMs).toBeLessThan(13_000);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
  }, 20_000);
});

describe('changes while deliveries are in flight', () => {
  it('deleting an endpoint while its retries are being sent waits for them and then succeeds (no lock-order deadlock)', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/slow-fail'), eventTypes: ['grade.changed'] }));
    await withTenant(acme.tenant.id, (tx) =>
      fanOutWebhookEvent(handlerContext(tx, acme.tenant.id, { id: crypto.randomUUID(), name: 'lectern/grade.changed.v1', payload: { itemId: crypto.randomUUID() } })),
    );
    await owner`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${endpoint.endpoint.id}`;
    const before = hits.filter((h) => h.path === '/slow-fail').length;
    const batch = withTenant(acme.tenant.id, (tx) => deliverDueWebhooks(tx, acme.tenant.id));
    // Once the retry is on the wire (its row and endpoint locked), the admin deletes the endpoint.
    await vi.waitFor(() => expect(hits.filter((h) => h.path === '/slow-fail').length).toBe(before + 1), { timeout: 5000, interval: 10 });
    const deletion = as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
    await expect(Promise.all([batch, deletion])).resolves.toEqual([{ attempted: 1, delivered: 0 }, undefined]);
    expect(await deliveriesOf(endpoint.endpoint.id)).toEqual([]);
  });

  it('deleting an endpoint while a new event is being fanned out to it waits for the fan-out, then succeeds', async () => {
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: local('/slow-fail'), eventTypes: ['grade.changed'] }));
    const before = hits.filter((h) => h.path === '/slow-fail').length;
    const fanOut = withTenant(acme.tenant.id, (tx) =>
      fanOutWebhookEvent(handlerContext(tx, acme.tenant.id, { id: crypto.randomUUID(), name: 'lectern/grade.changed.v1', payload: { itemId: crypto.randomUUID() } })),
    );
    await vi.waitFor(() => expect(hits.filter((h) => h.path === '/slow-fail').length).toBe(before + 1), { timeout: 5000, interval: 10 });
    const deletion = as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
    await expect(Promise.all([fanOut, deletion])).resolves.toEqual([1, undefined]);
    expect(await deliveriesOf(endpoint.endpoint.id)).toEqual([]);
  });
});

describe('DNS at delivery time', () => {
  it('refuses to deliver when the endpoint’s name now resolves to 127.0.0.1 (no allowance), and connects to the vetted address with it', async () => {
    allowance.on = false;
    resolveAs('hooks.partner.example', '93.184.216.34');
    const endpoint = await as(admin, (tx, ctx) => createEndpoint(tx, ctx, { url: `https://hooks.partner.example:${port}/rebind`, eventTypes: ['certificate.revoked'] }));
    // The name now answers loopback (DNS rebinding): the delivery is refused before any connection.
    vi.restoreAllMocks();
    resolveAs('hooks.partner.example', '127.0.0.1');
    const outcome = await as(admin, (tx, ctx) => sendTestEvent(tx, ctx, endpoint.endpoint.id));
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(outcome.error).toMatch(/SSRF guard.*127\.0\.0\.1/);
    expect(hits.filter((h) => h.path === '/rebind')).toEqual([]);
    const [d] = await deliveriesOf(endpoint.endpoint.id);
    expect(d).toMatchObject({ status: 'failed', last_status_code: null });
    expect(d!.last_error).toContain('127.0.0.1');

    // With the allowance, the same name reaches the receiver: the socket goes to the address the guard vetted
    // (the system resolver knows no such name). http, since the receiver does not speak TLS.
    allowance.on = true;
    await as(admin, (tx, ctx) => updateEndpoint(tx, ctx, endpoint.endpoint.id, { url: `http://hooks.partner.example:${port}/rebind`, eventTypes: ['certificate.revoked'] }));
    expect(await as(admin, (tx, ctx) => sendTestEvent(tx, ctx, endpoint.endpoint.id))).toMatchObject({ ok: true, statusCode: 204 });
    const [got] = verified('/rebind', endpoint.secret);
    expect(got!.hit.headers.host).toBe(`hooks.partner.example:${port}`);
    await as(admin, (tx, ctx) => deleteEndpoint(tx, ctx, endpoint.endpoint.id));
  });
});
