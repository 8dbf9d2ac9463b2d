import { InngestTestEngine } from '@inngest/test';
import { Inngest } from 'inngest';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { GET as inngestGET } from '@/app/api/inngest/route';
import { jobFunction } from '@/inngest/functions';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { enrolMembers, selfEnrol } from '@/lib/enrolment/service';
import { emit } from '@/lib/events/outbox';
import { defineJob, JOBS, type Job } from '@/lib/jobs/registry';
import { relayOnce, type RelayedEvent } from '@/lib/jobs/relay';
import { runJob } from '@/lib/jobs/run';
import { drainOnce } from '@/lib/jobs/worker';
import { sendMail } from '@/lib/mail/service';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


let acme: Org;
let instructor: MemberContext;
let course: Course;

async function publishedCourse(title: string): Promise<Course> {
  const c = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title }));
  await as(instructor, (tx, ctx) =>
    updateCourse(tx, ctx, c.id, { title, slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
  );
  return as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
}

async function mailsTo(email: string) {
  return owner<{ subject: string; text: string }[]>`select subject, text from emails where "to" = ${email}`;
}

async function enrolmentEvent(userId: string) {
  const [row] = await owner<{ id: string; sent_at: Date | null }[]>`
    select id, sent_at from outbox where name = 'lectern/enrolment.created.v1' and payload->>'userId' = ${userId}`;
  return row!;
}

async function outboxRow(id: string) {
  const [row] = await owner<{ sent_at: Date | null; attempts: number; last_error: string | null; next_attempt_at: Date; due_later: boolean; given_up: boolean }[]>`
    select sent_at, attempts, last_error, next_attempt_at, next_attempt_at > now() as due_later, next_attempt_at = 'infinity' as given_up
    from outbox where id = ${id}`;
  return row!;
}

/** An event of a test-only name, appended the way services append theirs. */
function emitTest(name: `lectern/${string}.v${number}`, payload: Record<string, unknown> = {}): Promise<string> {
  return withTenant(acme.tenant.id, (tx) => emit(tx, acme.tenant.id, name, payload));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  acme = await makeOrg('acme');
  instructor = await addMember(acme.tenant, 'instructor');
  course = await publishedCourse('Organic Chemistry');
  await drainOnce(); // the set-up's own events (organisation created, …)
});

describe('notify-enrolment through the embedded worker', () => {
  it('mails the learner once per enrolment, however often the pass runs or the event is redelivered', async () => {
    const learner = await addMember(acme.tenant, 'learner');
    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    expect(await mailsTo(learner.user.email)).toHaveLength(0); // nothing is sent before the worker runs

    const pass = await drainOnce();
    expect(pass.sent).toBeGreaterThanOrEqual(1);
    const mails = await mailsTo(learner.user.email);
    expect(mails).toEqual([{ subject: 'You are enrolled in Organic Chemistry', text: expect.stringContaining(`http://acme.localhost:3000/learn/${course.slug}`) }]);
    const event = await enrolmentEvent(learner.user.id);
    expect(event.sent_at).not.toBeNull();

    await drainOnce();
    expect(await mailsTo(learner.user.email)).toHaveLength(1);

    // At-least-once delivery: the same outbox event comes round again (e.g. a crash after the jobs ran).
    await owner`update outbox set sent_at = null where id = ${event.id}`;
    const again = await drainOnce();
    expect(again.claimed).toBe(1);
    expect((await outboxRow(event.id)).sent_at).not.toBeNull();
    expect(await mailsTo(learner.user.email)).toHaveLength(1);
    const runs = await owner`select status, attempts from job_runs where event_id = ${event.id} and job_id = 'notify-enrolment'`;
    expect([...runs]).toEqual([{ status: 'succeeded', attempts: 1 }]);
  });

  it('mails learners that staff enrol, but not the TA enrolled with them', async () => {
    const [ta, learner] = await Promise.all([addMember(acme.tenant, 'learner'), addMember(acme.tenant, 'learner')]);
    await as(instructor, (tx, ctx) =>
      enrolMembers(tx, ctx, course.id, [
        { email: ta.user.email, role: 'ta' },
        { email: learner.user.email, role: 'learner' },
      ]),
    );
    await drainOnce();
    expect(await mailsTo(ta.user.email)).toHaveLength(0);
    expect(await mailsTo(learner.user.email)).toHaveLength(1);
  });
});

describe('failures and retries', () => {
  it('undoes a failed run, backs off (attempts, last_error, next_attempt_at), and retries once due', async () => {
    let calls = 0;
    const flaky = defineJob({
      id: 'test-flaky',
      trigger: { event: 'lectern/test.flaky.v1' },
      retries: 3,
      handler: async ({ tx, tenantId }) => {
        calls += 1;
        await sendMail(tx, tenantId, { to: 'flaky@acme.test', subject: `call ${calls}`, text: '' });
        if (calls === 1) throw new Error('the mail relay is down');
      },
    });
    const id = await emitTest('lectern/test.flaky.v1');

    await drainOnce({ jobs: [...JOBS, flaky] });
    const failed = await outboxRow(id);
    expect(failed).toMatchObject({ sent_at: null, attempts: 1, last_error: 'test-flaky: Error: the mail relay is down', due_later: true, given_up: false });
    expect(failed.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(5_000); // ~10 s ± jitter
    expect(await mailsTo('flaky@acme.test')).toHaveLength(0); // the failed run's mail rolled back with it
    const [run] = await owner`select status, attempts, last_error from job_runs where event_id = ${id}`;
    expect(run).toEqual({ status: 'failed', attempts: 1, last_error: 'Error: the mail relay is down' });

    await drainOnce({ jobs: [...JOBS, flaky] });
    expect(calls).toBe(1); // not due yet

    await owner`update outbox set next_attempt_at = now() - interval '1 second' where id = ${id}`;
    await drainOnce({ jobs: [...JOBS, flaky] });
    expect(calls).toBe(2);
    expect(await outboxRow(id)).toMatchObject({ attempts: 1, last_error: null });
    expect((await outboxRow(id)).sent_at).not.toBeNull();
    expect((await mailsTo('flaky@acme.test')).map((m) => m.subject)).toEqual(['call 2']);
  });

  it('retries only the job that failed when an event starts two', async () => {
    const calls = { steady: 0, shaky: 0 };
    const steady = defineJob({ id: 'test-steady', trigger: { event: 'lectern/test.pair.v1' }, retries: 2, handler: async () => void (calls.steady += 1) });
    const shaky = defineJob({
      id: 'test-shaky',
      trigger: { event: 'lectern/test.pair.v1' },
      retries: 2,
      handler: async () => {
        calls.shaky += 1;
        if (calls.shaky === 1) throw new Error('boom');
      },
    });
    const id = await emitTest('lectern/test.pair.v1');
    await drainOnce({ jobs: [steady, shaky] });
    await owner`update outbox set next_attempt_at = now() where id = ${id}`;
    await drainOnce({ jobs: [steady, shaky] });
    expect(calls).toEqual({ steady: 1, shaky: 2 });
    expect((await outboxRow(id)).sent_at).not.toBeNull();
  });

  it('gives up after 1 + retries attempts and leaves the row failed, out of every later pass', async () => {
    let calls = 0;
    const broken = defineJob({
      id: 'test-broken',
      trigger: { event: 'lectern/test.broken.v1' },
      retries: 1,
      handler: async () => {
        calls += 1;
        throw new Error('always');
      },
    });
    const id = await emitTest('lectern/test.broken.v1');
    await drainOnce({ jobs: [broken] });
    await owner`update outbox set next_attempt_at = now() where id = ${id}`;
    await drainOnce({ jobs: [broken] });
    expect(await outboxRow(id)).toMatchObject({ sent_at: null, attempts: 2, given_up: true, last_error: 'test-broken: Error: always' });
    await drainOnce({ jobs: [broken] });
    expect(calls).toBe(2);
  });
});

describe('concurrency', () => {
  it('two passes at once never run a job twice for one event (SKIP LOCKED)', async () => {
    const seen = new Map<string, number>();
    const counting = defineJob({
      id: 'test-counting',
      trigger: { event: 'lectern/enrolment.created.v1' },
      retries: 0,
      handler: async ({ event }) => {
        seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
        await sleep(15); // keep rows locked long enough for the passes to overlap
      },
    });
    const learners = await Promise.all(Array.from({ length: 12 }, () => addMember(acme.tenant, 'learner')));
    for (const l of learners) await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));

    const jobs = [...JOBS, counting];
    const [a, b] = await Promise.all([drainOnce({ jobs, batchSize: 3 }), drainOnce({ jobs, batchSize: 3 })]);
    const rest = await drainOnce({ jobs }); // whatever a pass left for later (maxBatchesPerTenant)

    // Both passes worked at once and split the rows between them: no row was claimed twice.
    expect(a.claimed).toBeGreaterThan(0);
    expect(b.claimed).toBeGreaterThan(0);
    expect(a.claimed + b.claimed + rest.claimed).toBe(12);
    expect(seen.size).toBe(12);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    for (const l of learners) expect(await mailsTo(l.user.email)).toHaveLength(1);
  });

  it('two runs of one job for one event at once: the second waits on the run record and does nothing', async () => {
    let calls = 0;
    const slow = defineJob({
      id: 'test-slow',
      trigger: { event: 'lectern/test.slow.v1' },
      retries: 0,
      handler: async () => {
        calls += 1;
        await sleep(50);
      },
    });
    const event = { id: crypto.randomUUID(), name: 'lectern/test.slow.v1' as const, payload: {}, createdAt: new Date() };
    const run = () => withTenant(acme.tenant.id, (tx) => runJob(tx, slow, acme.tenant.id, event));
    const outcomes = await Promise.all([run(), run()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-done', 'succeeded']);
    expect(calls).toBe(1);
  });
});

describe('Inngest', () => {
  const notify = JOBS.find((j) => j.id === 'notify-enrolment') as Job;

  it('relays due rows with the outbox id as the event id and marks them sent; a failed send backs off', async () => {
    await drainOnce();
    const id = await emitTest('lectern/test.relayed.v1', { n: 1 });
    const down = await relayOnce(async () => {
      throw new Error('ECONNREFUSED');
    });
    expect(down.failed).toBeGreaterThanOrEqual(1);
    expect(await outboxRow(id)).toMatchObject({ sent_at: null, attempts: 1, due_later: true, last_error: 'relay to Inngest failed: Error: ECONNREFUSED' });

    await owner`update outbox set next_attempt_at = now() where id = ${id}`;
    const sent: RelayedEvent[] = [];
    await relayOnce(async (events) => void sent.push(...events));
    expect(sent).toEqual([{ id, name: 'lectern/test.relayed.v1', data: { tenantId: acme.tenant.id, outboxId: id, payload: { n: 1 } }, ts: expect.any(Number) }]);
    expect((await outboxRow(id)).sent_at).not.toBeNull();
  });

  it('runs notify-enrolment as an Inngest function, once per relayed event', async () => {
    const learner = await addMember(acme.tenant, 'learner');
    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const sent: RelayedEvent[] = [];
    await relayOnce(async (events) => void sent.push(...events));
    const relayed = sent.find((e) => e.data.payload.userId === learner.user.id)!;
    expect(relayed.id).toBe((await enrolmentEvent(learner.user.id)).id);

    const fn = jobFunction(new Inngest({ id: 'lectern-test', isDev: true }), notify);
    const first = await new InngestTestEngine({ function: fn, events: [relayed] }).execute();
    expect(first.error).toBeUndefined();
    expect(first.result).toEqual({ status: 'succeeded' });
    // Inngest retries and replays run the function again for the same event: no second mail.
    const second = await new InngestTestEngine({ function: fn, events: [relayed] }).execute();
    expect(second.result).toEqual({ status: 'already-done' });
    expect(await mailsTo(learner.user.email)).toHaveLength(1);
  });

  it('the function fails (so Inngest retries) when the job fails, and rejects events that did not come from the relay', async () => {
    const failing = defineJob({
      id: 'test-inngest-failing',
      trigger: { event: 'lectern/test.inngest.v1' },
      retries: 1,
      handler: async () => {
        throw new Error('nope');
      },
    });
    const fn = jobFunction(new Inngest({ id: 'lectern-test', isDev: true }), failing);
    const event = { id: crypto.randomUUID(), name: 'lectern/test.inngest.v1', data: { tenantId: acme.tenant.id, outboxId: crypto.randomUUID(), payload: {} } };
    const failed = await new InngestTestEngine({ function: fn, events: [event] }).execute();
    expect(failed.error).toMatchObject({ message: expect.stringContaining('test-inngest-failing failed: Error: nope') });
    const forged = await new InngestTestEngine({ function: fn, events: [{ name: 'lectern/test.inngest.v1', data: { payload: {} } }] }).execute();
    expect(forged.error).toBeDefined();
  });

  it('answers 503 at /api/inngest with a clear message when Inngest is not configured', async () => {
    const res = await inngestGET(new NextRequest('http://localhost:3000/api/inngest'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ title: 'Inngest is not configured', detail: expect.stringContaining('INNGEST_SIGNING_KEY') });
  });
});
