import { InngestTestEngine } from '@inngest/test';
import { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRequestsInFlight, withTenant } from '@/db/client';
import { jobFunction } from '@/inngest/functions';
import type { MemberContext } from '@/lib/auth/context';
import { EVENT_NAMES } from '@/lib/events/catalogue';
import { emit } from '@/lib/events/outbox';
import { latestSlot, scheduleCron } from '@/lib/jobs/cron';
import { listDeadLetters, retryDeadLetters } from '@/lib/jobs/dead-letters';
import { cronEventName, defineJob, JOBS, type Job } from '@/lib/jobs/registry';
import { drainOnce, startEmbeddedWorker, yieldToWebRequests } from '@/lib/jobs/worker';
import { z } from 'zod';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

let acme: Org;
let globex: Org;
let acmeLearner: MemberContext;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emitFor(org: Org, name: `lectern/${string}.v${number}`, payload: Record<string, unknown> = {}): Promise<string> {
  return withTenant(org.tenant.id, (tx) => emit(tx, org.tenant.id, name, payload));
}

async function outboxRow(id: string) {
  const [row] = await owner<{ sent_at: Date | null; attempts: number; last_error: string | null; given_up: boolean }[]>`
    select sent_at, attempts, last_error, next_attempt_at = 'infinity' as given_up from outbox where id = ${id}`;
  return row!;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  acmeLearner = await addMember(acme.tenant, 'learner');
  await drainOnce(); // the set-up's own events
});

describe('payload schemas and unknown events', () => {
  const seen: string[] = [];
  const typed = defineJob({
    id: 'test-typed',
    trigger: { event: 'lectern/test.typed.v1' },
    input: z.object({ courseId: z.uuid(), n: z.number().int() }),
    retries: 5,
    handler: async ({ payload }) => void seen.push(`${payload.courseId}:${payload.n + 1}`),
  });

  it('gives the handler the parsed payload', async () => {
    const courseId = crypto.randomUUID();
    const id = await emitFor(acme, 'lectern/test.typed.v1', { courseId, n: 41 });
    await drainOnce({ jobs: [typed] });
    expect(seen).toEqual([`${courseId}:42`]);
    expect((await outboxRow(id)).sent_at).not.toBeNull();
  });

  it('makes a payload that does not fit a dead letter at once (no retries), naming the fields but not their values', async () => {
    const id = await emitFor(acme, 'lectern/test.typed.v1', { courseId: 'secret-value', n: 'x' });
    await drainOnce({ jobs: [typed] });
    const row = await outboxRow(id);
    expect(row).toMatchObject({ sent_at: null, attempts: 1, given_up: true });
    expect(row.last_error).toContain('malformed payload for lectern/test.typed.v1: courseId: invalid_format; n: invalid_type');
    expect(row.last_error).not.toContain('secret-value');
    expect(seen).toHaveLength(1);
  });

  it('makes an event no job takes and the catalogue does not know (an unknown version) a dead letter, not a silent drop', async () => {
    const unknown = await emitFor(acme, 'lectern/attempt.submitted.v9', { attemptId: crypto.randomUUID() });
    const known = await emitFor(acme, 'lectern/member.invited.v1', {}); // known, no job: simply done
    await drainOnce();
    expect(await outboxRow(unknown)).toMatchObject({ sent_at: null, given_up: true, last_error: 'unknown event lectern/attempt.submitted.v9' });
    expect((await outboxRow(known)).sent_at).not.toBeNull();
  });

  it('lists every event name emitted in the source in the catalogue', async () => {
    const { execSync } = await import('node:child_process');
    const out = execSync(`grep -rhoE "'lectern/[a-z_.]+\\.v[0-9]+'" lib app --include=*.ts --include=*.tsx || true`, { encoding: 'utf8' });
    const emitted = new Set(out.split('\n').filter(Boolean).map((s) => s.slice(1, -1)));
    const known = new Set<string>([...EVENT_NAMES, ...JOBS.map((j) => j.trigger.event)]);
    expect([...emitted].filter((n) => !known.has(n))).toEqual([]);
  });
});

describe('dead letters for admins', () => {
  let calls = 0;
  const fragile = defineJob({
    id: 'test-fragile',
    trigger: { event: 'lectern/test.fragile.v1' },
    retries: 0,
    handler: async () => {
      calls += 1;
      if (calls === 1) throw new Error('the partner API was down');
    },
  });

  it('lists them for admins of the organisation only, and a retry runs the job again', async () => {
    const id = await emitFor(acme, 'lectern/test.fragile.v1', { n: 1 });
    await drainOnce({ jobs: [fragile] });
    expect(await outboxRow(id)).toMatchObject({ given_up: true });

    const list = await as(acme.owner, (tx, ctx) => listDeadLetters(tx, ctx, { page: 1 }));
    expect(list.rows.map((r) => r.id)).toContain(id);
    expect(list.rows.find((r) => r.id === id)).toMatchObject({ name: 'lectern/test.fragile.v1', payload: { n: 1 }, lastError: 'test-fragile: Error: the partner API was down' });
    await expect(as(acmeLearner, (tx, ctx) => listDeadLetters(tx, ctx, { page: 1 }))).rejects.toMatchObject({ code: 'forbidden' });
    const theirs = await as(globex.owner, (tx, ctx) => listDeadLetters(tx, ctx, { page: 1 }));
    expect(theirs.rows.map((r) => r.id)).not.toContain(id);
    await expect(as(globex.owner, (tx, ctx) => retryDeadLetters(tx, ctx, { id }))).rejects.toMatchObject({ code: 'deadLetterNotFound' });
    await expect(as(acmeLearner, (tx, ctx) => retryDeadLetters(tx, ctx, { id }))).rejects.toMatchObject({ code: 'forbidden' });

    expect(await as(acme.owner, (tx, ctx) => retryDeadLetters(tx, ctx, { id }))).toBe(1);
    const [audit] = await owner`select action, target_label from audit_log where action = 'jobs.dead_letters_retried' and tenant_id = ${acme.tenant.id}`;
    expect(audit).toEqual({ action: 'jobs.dead_letters_retried', target_label: 'lectern/test.fragile.v1' });
    await drainOnce({ jobs: [fragile] });
    expect(calls).toBe(2);
    expect((await outboxRow(id)).sent_at).not.toBeNull();
    expect((await as(acme.owner, (tx, ctx) => listDeadLetters(tx, ctx, { page: 1 }))).rows.map((r) => r.id)).not.toContain(id);
  });
});

describe('workflows: durable steps', () => {
  it('keeps finished steps when a later one fails, and a retry does not repeat them', async () => {
    const calls = { find: 0, issue: 0, notify: 0 };
    const flow = defineJob({
      id: 'test-flow',
      trigger: { event: 'lectern/test.flow.v1' },
      retries: 3,
      workflow: true,
      handler: async ({ step, tenantId }) => {
        const found = await step.run('find', async () => {
          calls.find += 1;
          return { who: 'ada', n: calls.find };
        });
        await step.run('issue', async (tx) => {
          calls.issue += 1;
          await tx.execute(`insert into emails (tenant_id, "to", subject, text) values ('${tenantId}', 'flow@acme.test', 'issued ${found.who} ${found.n}', '')` as never);
          if (calls.issue === 1) throw new Error('storage unavailable');
        });
        await step.run('notify', async () => void (calls.notify += 1));
      },
    });
    const id = await emitFor(acme, 'lectern/test.flow.v1');
    await drainOnce({ jobs: [flow] });
    expect(calls).toEqual({ find: 1, issue: 1, notify: 0 });
    const steps1 = await owner`select step_id, output from job_steps where event_id = ${id}`;
    expect([...steps1]).toEqual([{ step_id: 'find', output: { who: 'ada', n: 1 } }]);
    expect(await owner`select 1 from emails where "to" = 'flow@acme.test'`).toHaveLength(0); // the failed step's write rolled back

    await owner`update outbox set next_attempt_at = now() where id = ${id}`;
    await drainOnce({ jobs: [flow] });
    expect(calls).toEqual({ find: 1, issue: 2, notify: 1 });
    expect((await owner`select subject from emails where "to" = 'flow@acme.test'`).map((r) => r.subject)).toEqual(['issued ada 1']); // the first step's result, reused
    expect((await outboxRow(id)).sent_at).not.toBeNull();
  });
});

describe('cron', () => {
  const ticks: { tenantId: string; slot: string }[] = [];
  const nightly = defineJob({ id: 'test-nightly', trigger: { cron: '0 3 * * *' }, retries: 1, handler: async ({ tenantId, payload }) => void ticks.push({ tenantId, slot: (payload as { slot: string }).slot }) });

  it('refuses what is not a five-field cron expression', () => {
    expect(() => defineJob({ id: 'bad-cron', trigger: { cron: 'every day' }, retries: 0, handler: async () => {} })).toThrow(/cron/);
    expect(() => defineJob({ id: 'seconds-cron', trigger: { cron: '*/5 * * * * *' }, retries: 0, handler: async () => {} })).toThrow(/five fields/);
    expect(() => defineJob({ id: 'Not Kebab', trigger: { event: 'lectern/x.v1' }, retries: 0, handler: async () => {} })).toThrow(/kebab/);
  });

  it('finds the latest slot at or before now (UTC)', () => {
    expect(latestSlot('0 3 * * *', new Date('2026-12-06T03:00:00.000Z')).toISOString()).toBe('2026-12-06T03:00:00.000Z');
    expect(latestSlot('0 3 * * *', new Date('2026-12-06T02:59:59.999Z')).toISOString()).toBe('2026-12-05T03:00:00.000Z');
    expect(latestSlot('*/15 * * * *', new Date('2026-12-06T10:44:10Z')).toISOString()).toBe('2026-12-06T10:30:00.000Z');
  });

  it('schedules one tick per organisation per slot however many schedulers run, and runs the job once for each', async () => {
    const now = new Date('2026-12-06T03:00:20Z');
    const [a, b, c] = await Promise.all([scheduleCron(now, [nightly]), scheduleCron(now, [nightly]), scheduleCron(new Date('2026-12-06T09:00Z'), [nightly])]);
    expect([...a, ...b, ...c]).toEqual([{ jobId: 'test-nightly', slot: '2026-12-06T03:00:00.000Z', tenants: expect.any(Number) }]);
    const events = await owner`select tenant_id, payload from outbox where name = ${cronEventName('test-nightly')}`;
    const tenants = await owner`select id from tenants`;
    expect(events).toHaveLength(tenants.length);

    await drainOnce({ jobs: [nightly] });
    await drainOnce({ jobs: [nightly] });
    expect(ticks.map((t) => t.tenantId).sort()).toEqual(tenants.map((t) => t.id).sort());
    expect(new Set(ticks.map((t) => t.slot))).toEqual(new Set(['2026-12-06T03:00:00.000Z']));

    // The next day's slot is a new tick.
    expect(await scheduleCron(new Date('2026-12-07T03:05Z'), [nightly])).toEqual([{ jobId: 'test-nightly', slot: '2026-12-07T03:00:00.000Z', tenants: tenants.length }]);
  });
});

describe('fairness in the embedded worker', () => {
  it("5,000 events of one organisation do not hold up another organisation's job by more than 10 s", async () => {
    const handled = new Map<string, number>();
    const slow = defineJob({
      id: 'test-fair',
      trigger: { event: 'lectern/test.fair.v1' },
      retries: 0,
      handler: async ({ tenantId }) => {
        handled.set(tenantId, (handled.get(tenantId) ?? 0) + 1);
        await sleep(5); // 5,000 × 5 ms = 25 s of one organisation's work
      },
    });
    await owner`
      insert into outbox (tenant_id, name, payload)
      select ${acme.tenant.id}, 'lectern/test.fair.v1', jsonb_build_object('n', g) from generate_series(1, 5000) g`;
    const theirs = await emitFor(globex, 'lectern/test.fair.v1', { n: 1 });
    const started = Date.now();
    const stop = startEmbeddedWorker({ jobs: [slow], intervalMs: 50, giveWay: false });
    try {
      while ((await outboxRow(theirs)).sent_at === null) {
        expect(Date.now() - started).toBeLessThan(10_000);
        await sleep(50);
      }
    } finally {
      await stop();
    }
    const waited = Date.now() - started;
    expect(waited).toBeLessThan(10_000);
    expect(handled.get(globex.tenant.id)).toBe(1);
    // Not because the big backlog was already gone: most of it is still waiting.
    expect(handled.get(acme.tenant.id) ?? 0).toBeLessThan(5000);
    await owner`delete from outbox where name = 'lectern/test.fair.v1'`;
  }, 30_000);
});

describe('a worker in its own process gives way to web requests', () => {
  it('counts web connections holding a transaction or running a statement', async () => {
    const idle = await webRequestsInFlight();
    let during = -1;
    await withTenant(acme.tenant.id, async (tx) => {
      await tx.execute('select 1' as never);
      during = await webRequestsInFlight(); // from another pooled connection, while this transaction is open
    });
    expect(during).toBeGreaterThanOrEqual(idle + 1);
  });

  it('waits while web requests are busy, for at most maxWaitMs, and not at all when they are not', async () => {
    const busy = [5, 4, 3, 1];
    let asked = 0;
    const started = Date.now();
    await yieldToWebRequests({ busyAt: 3, pollMs: 10, inFlight: async () => busy[Math.min(asked++, busy.length - 1)]! })();
    expect(asked).toBe(4); // waited through three busy readings
    await yieldToWebRequests({ busyAt: 3, pollMs: 10, maxWaitMs: 80, inFlight: async () => 9 })();
    expect(Date.now() - started).toBeLessThan(1000); // never starved
    let calls = 0;
    await yieldToWebRequests({ inFlight: async () => (calls++, 0) })();
    expect(calls).toBe(1);
  });
});

describe('Inngest functions from the registry', () => {
  it('a payload the schema refuses is a non-retriable failure', async () => {
    const typed: Job = defineJob({ id: 'test-inngest-typed', trigger: { event: 'lectern/test.inngest-typed.v1' }, input: z.object({ n: z.number() }), retries: 3, handler: async () => {} });
    const fn = jobFunction(new Inngest({ id: 'lectern-test', isDev: true }), typed);
    const event = { id: crypto.randomUUID(), name: 'lectern/test.inngest-typed.v1', data: { tenantId: acme.tenant.id, outboxId: crypto.randomUUID(), payload: { n: 'nope' } } };
    const run = await new InngestTestEngine({ function: fn, events: [event] }).execute();
    expect(run.error).toMatchObject({ name: 'NonRetriableError', message: expect.stringContaining('malformed payload') });
  });

  it('every registry job becomes a function with its trigger, retries and per-organisation concurrency', async () => {
    const { inngestFunctions } = await import('@/inngest/functions');
    const fns = inngestFunctions(new Inngest({ id: 'lectern-test', isDev: true }));
    expect(fns.map((f) => f.id())).toEqual(JOBS.map((j) => j.id));
  });
});
