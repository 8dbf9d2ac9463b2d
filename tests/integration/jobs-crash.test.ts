import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { enrolMembers } from '@/lib/enrolment/service';
import { drainOnce } from '@/lib/jobs/worker';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

/**
 * Crash test: `npm run worker` (scripts/worker.ts, the real process) is killed with SIGKILL again and again
 * while it delivers a backlog of enrolment events, then allowed to finish. Every event must take effect
 * exactly once: each learner gets one enrolment mail, each event one succeeded run, none is left behind.
 */
const owner = ownerSql();
afterAll(() => owner.end());

const LEARNERS = 500;
const KILLS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let acme: Org;
let instructor: MemberContext;
let course: Course;
let learners: MemberContext[];

function startWorker(): ChildProcess {
  // The test database's environment (set by db-file-setup), logging off; no Inngest, so the embedded worker runs.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production' };
  for (const k of ['INNGEST_DEV', 'INNGEST_SIGNING_KEY', 'INNGEST_EVENT_KEY', 'LECTERN_WORKER']) delete env[k];
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function pending(): Promise<number> {
  const [row] = await owner<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null and name = 'lectern/enrolment.created.v1'`;
  return row!.n;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  instructor = await addMember(acme.tenant, 'instructor');
  const c = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Thermodynamics' }));
  await as(instructor, (tx, ctx) =>
    updateCourse(tx, ctx, c.id, { title: 'Thermodynamics', slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
  );
  course = await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
  await drainOnce();
  learners = [];
  for (let i = 0; i < LEARNERS; i += 1) learners.push(await addMember(acme.tenant, 'learner'));
}, 120_000);

describe('kill the worker between commit and delivery, many times', () => {
  it('every event takes effect exactly once and none is lost', async () => {
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, learners.map((l) => ({ email: l.user.email, role: 'learner' as const }))));
    expect(await pending()).toBe(LEARNERS);

    let kills = 0;
    const progress: number[] = [];
    while (kills < KILLS && (await pending()) > 0) {
      const child = startWorker();
      const exited = new Promise((r) => child.once('exit', r));
      // Let it boot and get into the backlog, then kill it mid-flight (no clean shutdown, no chance to commit).
      await sleep(1200 + Math.random() * 1000);
      child.kill('SIGKILL');
      await exited;
      kills += 1;
      progress.push(await pending());
    }
    // Then one worker runs to the end.
    const child = startWorker();
    const deadline = Date.now() + 60_000;
    while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    expect(kills).toBeGreaterThanOrEqual(4); // the backlog outlived several kills
    expect(await pending()).toBe(0);
    const mails = await owner<{ to: string; n: number }[]>`
      select "to", count(*)::int as n from emails where subject = 'You are enrolled in Thermodynamics' group by "to"`;
    expect(mails).toHaveLength(LEARNERS);
    expect(mails.every((m) => m.n === 1)).toBe(true);
    const runs = await owner<{ n: number; succeeded: number }[]>`
      select count(*)::int as n, count(*) filter (where status = 'succeeded')::int as succeeded
      from job_runs r join outbox o on o.id = r.event_id where o.name = 'lectern/enrolment.created.v1' and r.job_id = 'notify-enrolment'`;
    expect(runs[0]).toEqual({ n: LEARNERS + 0, succeeded: LEARNERS });
    console.log(`crash test: ${kills} kills; events left after each: ${progress.join(', ')}`);
  }, 180_000);
});
