import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InngestTestEngine } from '@inngest/test';
import { Inngest } from 'inngest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobFunction } from '@/inngest/functions';
import { postAnnouncement } from '@/lib/announcements/service';
import { saveAnswer, startAttempt, submitAttempt } from '@/lib/assessment/attempts';
import { createQuestion } from '@/lib/assessment/bank';
import type { MemberContext } from '@/lib/auth/context';
import { withTenant } from '@/db/client';
import { createCourse, setCourseStatus, type Course } from '@/lib/courses/service';
import { addItem, addModule } from '@/lib/courses/structure';
import { selfEnrol } from '@/lib/enrolment/service';
import { checkImport, importProgress, startImport } from '@/lib/imports/service';
import { emit } from '@/lib/events/outbox';
import { scheduleCron } from '@/lib/jobs/cron';
import { JOBS, jobsFor } from '@/lib/jobs/registry';
import { relayOnce, type RelayedEvent } from '@/lib/jobs/relay';
import { markItemComplete } from '@/lib/learning/player';
import { savePreferences } from '@/lib/notifications/preferences';
import { addProgramCourse, createProgram, setProgramStatus } from '@/lib/programs/service';
import { outboxNameOf, WEBHOOK_EVENT_TYPES } from '@/lib/webhooks/events';
import { createEndpoint } from '@/lib/webhooks/service';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';
import { freePort } from '../support/ports';

/**
 * Every job in the registry, run as Inngest runs it: the outbox is relayed (`relayOnce`, as to Inngest) and
 * each relayed event is handed to the Inngest function of every job it triggers, through @inngest/test's
 * engine — a new engine per run — until no new events appear. The scenario makes every job do real work
 * (mail goes to a real SMTP peer), and the test fails if a job in JOBS was never exercised.
 */
const smtpPort = await freePort();
process.env.SMTP_URL = `smtp://lectern:secret@127.0.0.1:${smtpPort}`;
process.env.MAIL_FROM = 'Lectern <no-reply@lectern.test>';
// Webhooks go to a receiver on 127.0.0.1: the development allowance.
process.env.WEBHOOKS_ALLOW_PRIVATE = '1';

const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  logger: false,
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  onAuth: (_auth, _session, cb) => cb(null, { user: 'lectern' }),
  onData(stream, _session, cb) {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        cb();
      })
      .catch(cb);
  },
});
await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));

const hooks: { headers: Record<string, string>; body: string }[] = [];
let refuseNext = 0; // answer 503 to this many requests (a retry then falls to the deliver-webhooks cron job)
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (refuseNext > 0) {
      refuseNext--;
      res.writeHead(503).end();
      return;
    }
    hooks.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
});

const client = new Inngest({ id: 'lectern-test', isDev: true });
const functions = new Map(JOBS.map((j) => [j.id, jobFunction(client, j)]));
const exercised = new Map<string, number>();

/** Relay until the outbox is empty, running each event's functions as Inngest would; returns what was relayed. */
async function runAsInngest(): Promise<RelayedEvent[]> {
  const all: RelayedEvent[] = [];
  for (let round = 0; round < 10; round += 1) {
    const batch: RelayedEvent[] = [];
    await relayOnce(async (events) => void batch.push(...events));
    if (!batch.length) break;
    all.push(...batch);
    for (const event of batch) {
      for (const job of jobsFor(event.name)) {
        const run = await new InngestTestEngine({ function: functions.get(job.id)!, events: [event] }).execute();
        expect(run.error, `${job.id} on ${event.name}`).toBeUndefined();
        expect(run.result).toMatchObject({ status: expect.stringMatching(/^(succeeded|already-done)$/) });
        exercised.set(job.id, (exercised.get(job.id) ?? 0) + 1);
      }
    }
  }
  return all;
}

let acme: Org;
let instructor: MemberContext;
let learner: MemberContext;
let exam: Course;
let intro: Course;
let webhookSecret: string;

beforeAll(async () => {
  acme = await makeOrg('acme');
  instructor = await addMember(acme.tenant, 'instructor');
  learner = await addMember(acme.tenant, 'learner', { name: 'Grace Hopper' });
  exam = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Compilers' }));
  const examModule = await as(instructor, (tx, ctx) => addModule(tx, ctx, exam.id, { title: 'Week 1' }));
  const question = await as(instructor, (tx, ctx) => createQuestion(tx, ctx, exam.id, { type: 'true_false', promptHtml: '<p>A compiler translates?</p>', points: 1, definition: { correct: true } }));
  const inThreeHours = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 16);
  await as(instructor, (tx, ctx) => addItem(tx, ctx, examModule.id, 'quiz', { title: 'Check-in', required: 'on', questionIds: question.id, showScore: 'immediately', showAnswers: 'never' }));
  await as(instructor, (tx, ctx) => addItem(tx, ctx, examModule.id, 'quiz', { title: 'Final', required: 'on', questionIds: question.id, dueAt: inThreeHours, showScore: 'immediately', showAnswers: 'never' }));
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, exam.id, 'published'));

  intro = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Welcome aboard' }));
  const introModule = await as(instructor, (tx, ctx) => addModule(tx, ctx, intro.id, { title: 'Start' }));
  await as(instructor, (tx, ctx) => addItem(tx, ctx, introModule.id, 'lesson', { title: 'Read me', required: 'on', bodyHtml: '<p>Hello</p>' }));
  await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, intro.id, 'published'));
  const program = await as(acme.owner, (tx, ctx) => createProgram(tx, ctx, { title: 'Onboarding' }));
  await as(acme.owner, (tx, ctx) => addProgramCourse(tx, ctx, { programId: program.id, courseId: intro.id }));
  await as(acme.owner, (tx, ctx) => setProgramStatus(tx, ctx, program.id, 'published'));
  await runAsInngest(); // the set-up's own events
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lectern`;
  webhookSecret = (await as(acme.owner, (tx, ctx) => createEndpoint(tx, ctx, { url, eventTypes: [...WEBHOOK_EVENT_TYPES] }))).secret;
}, 60_000);

describe('every registry job as an Inngest function (@inngest/test)', () => {
  it('enrolment notice and its mail, grading, announcement fan-out, reminders, digest, certificates', async () => {
    // Announcements reach this learner by daily digest, everything else by mail at once.
    await as(learner, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'digest' }));
    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, exam.id));
    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, intro.id));

    const [checkIn] = await owner<{ id: string }[]>`select id from course_items where course_id = ${exam.id} and title = 'Check-in'`;
    const attempt = await as(learner, (tx, ctx) => startAttempt(tx, ctx, checkIn!.id));
    await as(learner, (tx, ctx) => saveAnswer(tx, ctx, attempt.id, attempt.layout[0]!.questionId, true));
    await as(learner, (tx, ctx) => submitAttempt(tx, ctx, attempt.id, 'inngest-test-submit-key'));
    await as(instructor, (tx, ctx) => postAnnouncement(tx, ctx, exam.id, { title: 'Exam room changed', bodyHtml: '<p>Room 101.</p>' }));
    await runAsInngest();

    const [graded] = await owner`select status, score from quiz_attempts where id = ${attempt.id}`;
    expect(graded).toMatchObject({ status: 'graded' });
    const notices = await owner<{ type: string }[]>`select type from notifications where user_id = ${learner.user.id} order by created_at`;
    expect(notices.map((n) => n.type).sort()).toEqual(['announcement', 'enrolled', 'enrolled']);
    expect(received.filter((m) => m.to && JSON.stringify(m.to).includes(learner.user.email)).map((m) => m.subject).sort()).toEqual(['You are enrolled in Compilers', 'You are enrolled in Welcome aboard']);

    // Cron ticks: the reminder for the quiz due in 3 hours, and the digest with the announcement.
    await scheduleCron(new Date());
    await scheduleCron(new Date(Date.now() + 24 * 3600_000)); // tomorrow's 07:00 slot has passed by then
    await runAsInngest();
    expect((await owner`select type from notifications where user_id = ${learner.user.id} and type = 'due-reminder'`).length).toBe(1);
    const digest = received.filter((m) => JSON.stringify(m.to).includes(learner.user.email) && /Exam room changed/.test(m.text ?? ''));
    expect(digest).toHaveLength(1);

    // Completing the one-lesson course issues its certificate and the program's, through the workflow.
    const [lesson] = await owner<{ id: string }[]>`select id from course_items where course_id = ${intro.id}`;
    await as(learner, (tx, ctx) => markItemComplete(tx, ctx, lesson!.id));
    await runAsInngest();
    const certificates = await owner<{ course_id: string | null; program_id: string | null }[]>`select course_id, program_id from certificates where user_id = ${learner.user.id}`;
    expect(certificates).toHaveLength(2);
    expect(certificates.filter((c) => c.program_id)).toHaveLength(1);
    expect(received.filter((m) => JSON.stringify(m.to).includes(learner.user.email) && /certificate/i.test(m.subject ?? '')).length).toBeGreaterThanOrEqual(1);

    // Replaying every event changes nothing: each function finds its run already done.
    const before = await owner`select (select count(*) from notifications)::int as n, (select count(*) from certificates)::int as c, (select count(*) from emails)::int as e`;
    await owner`update outbox set sent_at = null, next_attempt_at = now() where tenant_id = ${acme.tenant.id}`;
    await runAsInngest();
    expect(await owner`select (select count(*) from notifications)::int as n, (select count(*) from certificates)::int as c, (select count(*) from emails)::int as e`).toEqual(before);
  }, 120_000);

  it('applies a CSV import batch by batch, and the welcome mail goes out by SMTP', async () => {
    const file = 'email,name\r\nnew.person@acme.test,New Person\r\n';
    const { id } = await as(acme.owner, (tx, ctx) => checkImport(tx, ctx, { kind: 'users', fileName: 'people.csv' }, file));
    await as(acme.owner, (tx, ctx) => startImport(tx, ctx, id));
    await runAsInngest();
    expect(await as(acme.owner, (tx, ctx) => importProgress(tx, ctx, id))).toMatchObject({ status: 'done', processedRows: 1, created: 1 });
    expect(received.filter((m) => JSON.stringify(m.to).includes('new.person@acme.test')).map((m) => m.subject)).toEqual(['Welcome to Acme on Lectern']);
  }, 60_000);
  it('webhook fan-out for every public event type, delivered and signed (verified by the official standardwebhooks package)', async () => {
    const delivered = () => new Set(hooks.map((h) => (new Webhook(webhookSecret).verify(h.body, h.headers) as { type: string }).type));
    // The scenario above made some of them for real; the rest (member and assignment events, revocations) are emitted here.
    const missing = WEBHOOK_EVENT_TYPES.filter((t) => !delivered().has(t));
    expect(missing.length).toBeLessThan(WEBHOOK_EVENT_TYPES.length);
    await withTenant(acme.tenant.id, async (tx) => {
      for (const type of missing) await emit(tx, acme.tenant.id, outboxNameOf(type), { example: type });
    });
    await runAsInngest();
    expect([...delivered()].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const [pending] = await owner`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`;
    expect(pending!.n).toBe(0);
  });

  it('a refused delivery is retried by the deliver-webhooks cron job, which ticks only for organisations with a retry due', async () => {
    const onlyRetries = JOBS.filter((j) => j.id === 'deliver-webhooks');
    // Nothing due: the slot is claimed but no organisation gets a tick.
    const [idle] = await scheduleCron(new Date(Date.now() + 2 * 24 * 3600_000), onlyRetries);
    expect(idle).toMatchObject({ jobId: 'deliver-webhooks', tenants: 0 });

    refuseNext = 1;
    const before = hooks.length;
    await withTenant(acme.tenant.id, (tx) => emit(tx, acme.tenant.id, outboxNameOf('certificate.revoked'), { example: 'retry' }));
    await runAsInngest();
    expect(hooks.length).toBe(before); // the first attempt was refused
    await owner`update webhook_deliveries set next_attempt_at = now() - interval '1 second' where status = 'pending'`;
    const [due] = await scheduleCron(new Date(Date.now() + 3 * 24 * 3600_000), onlyRetries);
    expect(due).toMatchObject({ jobId: 'deliver-webhooks', tenants: 1 });
    await runAsInngest();
    expect(hooks.length).toBe(before + 1);
    const [left] = await owner`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`;
    expect(left!.n).toBe(0);
  });

  it('exercised every job in the registry', () => {
    expect([...exercised.keys()].sort()).toEqual(JOBS.map((j) => j.id).sort());
  });
});
