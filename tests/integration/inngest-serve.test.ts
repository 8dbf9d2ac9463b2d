import { createHmac, randomBytes } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse } from '@/lib/courses/service';
import { selfEnrol } from '@/lib/enrolment/service';
import { relayOnce, type RelayedEvent } from '@/lib/jobs/relay';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// Cloud mode, as Inngest Cloud calls a deployed app: requests must carry a valid signature.
const SIGNING_KEY = `signkey-prod-${randomBytes(32).toString('hex')}`;
process.env.INNGEST_SIGNING_KEY = SIGNING_KEY;
process.env.INNGEST_EVENT_KEY = 'test-event-key';
delete process.env.INNGEST_DEV;

const owner = ownerSql();
afterAll(() => owner.end());

/** JSON with object keys sorted at every level (RFC 8785 for the values used here), as Inngest signs it. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Signature header as Inngest's executor sends it: t=<unix>&s=HMAC-SHA256(key without signkey-<env>-, canonical body + t). */
function sign(body: unknown, key = SIGNING_KEY, at = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', key.replace(/^signkey-\w+-/, '')).update(canonical(body) + String(at)).digest('hex');
  return `t=${at}&s=${mac}`;
}

/** The call the executor makes to run a function for an event (shape in ../shared/STACK.md). */
function executorCall(fnId: string, event: RelayedEvent, signature: (body: unknown) => string | null) {
  const body = {
    event: { ...event, ts: event.ts },
    events: [event],
    steps: {},
    ctx: { run_id: `01J${randomBytes(8).toString('hex').toUpperCase()}`, attempt: 0, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
    version: 2,
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = signature(body);
  if (sig) headers['x-inngest-signature'] = sig;
  return new NextRequest(`http://localhost:3000/api/inngest?fnId=lectern-${fnId}&stepId=step`, { method: 'POST', headers, body: JSON.stringify(body) });
}

let acme: Org;
let learner: MemberContext;
let relayed: RelayedEvent;

beforeAll(async () => {
  acme = await makeOrg('acme');
  const instructor = await addMember(acme.tenant, 'instructor');
  const c = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Signal Processing' }));
  await as(instructor, (tx, ctx) =>
    updateCourse(tx, ctx, c.id, { title: 'Signal Processing', slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
  );
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
  learner = await addMember(acme.tenant, 'learner');
  await as(learner, (tx, ctx) => selfEnrol(tx, ctx, c.id));
  const sent: RelayedEvent[] = [];
  await relayOnce(async (events) => void sent.push(...events));
  relayed = sent.find((e) => e.name === 'lectern/enrolment.created.v1' && e.data.payload.userId === learner.user.id)!;
  expect(relayed).toBeDefined();
});

describe('/api/inngest in cloud mode', () => {
  it('runs the function for a signed request from the executor, once however often it is called', async () => {
    const { POST } = await import('@/app/api/inngest/route');
    const res = await POST(executorCall('notify-enrolment', relayed, (b) => sign(b)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'succeeded' });
    const again = await POST(executorCall('notify-enrolment', relayed, (b) => sign(b)));
    expect(await again.json()).toEqual({ status: 'already-done' });
    expect(await owner`select 1 from emails where "to" = ${learner.user.email}`).toHaveLength(1);
  });

  it('refuses a bad signature, a missing one, another key and a stale timestamp, running nothing', async () => {
    const { POST } = await import('@/app/api/inngest/route');
    const other = `signkey-prod-${randomBytes(32).toString('hex')}`;
    const attempts = [
      (b: unknown) => sign(b).replace(/s=[0-9a-f]{4}/, 's=0000'),
      () => null,
      (b: unknown) => sign(b, other),
      (b: unknown) => sign(b, SIGNING_KEY, Math.floor(Date.now() / 1000) - 3600),
    ];
    const before = await owner`select count(*)::int as n from job_runs`;
    for (const signature of attempts) {
      const res = await POST(executorCall('notify-enrolment', relayed, signature));
      expect(res.status, String(signature)).toBe(401);
    }
    expect(await owner`select count(*)::int as n from job_runs`).toEqual(before);
  });

  it('does not describe the app to an unsigned caller (GET introspection)', async () => {
    const { GET } = await import('@/app/api/inngest/route');
    const res = await GET(new NextRequest('http://localhost:3000/api/inngest'));
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('notify-enrolment');
  });
});
