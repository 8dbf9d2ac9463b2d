import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { ProgramError } from '@/lib/certificates/errors';
import { selfEnrol } from '@/lib/enrolment/service';
import { ForbiddenError } from '@/lib/errors';
import { drainOnce } from '@/lib/jobs/worker';
import {
  addProgramCourse,
  createProgram,
  listPrograms,
  moveProgramCourse,
  myPrograms,
  programForAdmin,
  programForLearner,
  removeProgramCourse,
  setProgramStatus,
  updateProgram,
  type Program,
} from '@/lib/programs/service';
import { objectStore } from '@/lib/storage';
import { completeCourse, shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';
import { pdfText } from '../support/pdf-text';

const filesDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-programs-'));
process.env.FILES_DIR = filesDir;
const owner = ownerSql();
afterAll(async () => {
  vi.restoreAllMocks();
  await owner.end();
  rmSync(filesDir, { recursive: true, force: true });
});

let acme: Org;
let globex: Org;
let admin: MemberContext;
let instructor: MemberContext;

async function program(title: string, courses: ShortCourse[], status: Program['status'] = 'published'): Promise<Program> {
  const p = await as(admin, (tx, ctx) => createProgram(tx, ctx, { title }));
  for (const c of courses) await as(admin, (tx, ctx) => addProgramCourse(tx, ctx, { programId: p.id, courseId: c.id }));
  return status === 'draft' ? p : as(admin, (tx, ctx) => setProgramStatus(tx, ctx, p.id, status));
}

async function courseTitles(programId: string): Promise<string[]> {
  const rows = await owner`select c.title from program_courses pc join courses c on c.id = pc.course_id where pc.program_id = ${programId} order by pc.position`;
  return rows.map((r) => r.title as string);
}

async function programCertificates(userId: string) {
  return owner<{ id: string; code: string; program_id: string; title: string; file_key: string }[]>`
    select id, code, program_id, title, file_key from certificates where user_id = ${userId} and program_id is not null order by title`;
}

async function notices(userId: string) {
  return owner<{ title: string; dedupe_key: string }[]>`select title, dedupe_key from notifications where user_id = ${userId} and type = 'certificate-issued' order by title`;
}

async function steps(eventId: string) {
  return owner<{ step_id: string; finished_at: Date; output: unknown }[]>`
    select step_id, created_at as finished_at, output from job_steps where job_id = 'issue-program-certificate' and event_id = ${eventId} order by finished_at, step_id`;
}

async function lastCompletion(userId: string): Promise<string> {
  const [row] = await owner<{ id: string }[]>`select id from outbox where name = 'lectern/course.completed.v1' and payload->>'userId' = ${userId} order by created_at desc limit 1`;
  return row!.id;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  admin = await addMember(acme.tenant, 'admin');
  instructor = await addMember(acme.tenant, 'instructor');
});

describe('authoring programs', () => {
  it('is for org admins: an instructor or learner cannot create or change one', async () => {
    const learner = await addMember(acme.tenant, 'learner');
    for (const who of [instructor, learner]) {
      await expect(as(who, (tx, ctx) => createProgram(tx, ctx, { title: 'Nope' }))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(as(who, (tx, ctx) => listPrograms(tx, ctx))).rejects.toBeInstanceOf(ForbiddenError);
    }
    const p = await as(admin, (tx, ctx) => createProgram(tx, ctx, { title: 'Data Foundations' }));
    expect(p).toMatchObject({ slug: 'data-foundations', status: 'draft', title: 'Data Foundations' });
    await expect(as(instructor, (tx, ctx) => setProgramStatus(tx, ctx, p.id, 'archived'))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(instructor, (tx, ctx) => programForAdmin(tx, ctx, p.id))).rejects.toBeInstanceOf(ForbiddenError);
    // Another organisation's owner does not find it.
    await expect(as(globex.owner, (tx, ctx) => programForAdmin(tx, ctx, p.id))).rejects.toMatchObject({ code: 'notFound', status: 404 });
    await expect(as(globex.owner, (tx, ctx) => setProgramStatus(tx, ctx, p.id, 'archived'))).rejects.toMatchObject({ code: 'notFound' });
    // A second program of the same title gets a free address.
    expect((await as(admin, (tx, ctx) => createProgram(tx, ctx, { title: 'Data Foundations' }))).slug).toBe('data-foundations-2');
  });

  it('adds, reorders and removes courses, refuses what does not belong, and audits each change', async () => {
    const [a, b, c] = [await shortCourse(instructor, 'Alpha'), await shortCourse(instructor, 'Bravo'), await shortCourse(instructor, 'Charlie')];
    const globexCourse = await shortCourse(await addMember(globex.tenant, 'instructor'), 'Globex Only');
    const p = await as(admin, (tx, ctx) => createProgram(tx, ctx, { title: 'Ordered' }));
    await expect(as(admin, (tx, ctx) => setProgramStatus(tx, ctx, p.id, 'published'))).rejects.toMatchObject({ code: 'publishEmpty' });
    for (const course of [a, b, c]) await as(admin, (tx, ctx) => addProgramCourse(tx, ctx, { programId: p.id, courseId: course.id }));
    expect(await courseTitles(p.id)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    await expect(as(admin, (tx, ctx) => addProgramCourse(tx, ctx, { programId: p.id, courseId: b.id }))).rejects.toMatchObject({ code: 'courseAlreadyIn' });
    await expect(as(admin, (tx, ctx) => addProgramCourse(tx, ctx, { programId: p.id, courseId: globexCourse.id }))).rejects.toMatchObject({ code: 'courseMissing', field: 'courseId' });
    await expect(as(admin, (tx, ctx) => addProgramCourse(tx, ctx, { programId: p.id, courseId: 'x' }))).rejects.toBeInstanceOf(ProgramError);

    await as(admin, (tx, ctx) => moveProgramCourse(tx, ctx, { programId: p.id, courseId: c.id, direction: 'up' }));
    expect(await courseTitles(p.id)).toEqual(['Alpha', 'Charlie', 'Bravo']);
    await as(admin, (tx, ctx) => moveProgramCourse(tx, ctx, { programId: p.id, courseId: a.id, direction: 'down' }));
    expect(await courseTitles(p.id)).toEqual(['Charlie', 'Alpha', 'Bravo']);
    await as(admin, (tx, ctx) => moveProgramCourse(tx, ctx, { programId: p.id, courseId: c.id, direction: 'up' })); // already first: stays
    expect(await courseTitles(p.id)).toEqual(['Charlie', 'Alpha', 'Bravo']);
    await as(admin, (tx, ctx) => removeProgramCourse(tx, ctx, { programId: p.id, courseId: a.id }));
    expect(await courseTitles(p.id)).toEqual(['Charlie', 'Bravo']);
    const view = await as(admin, (tx, ctx) => programForAdmin(tx, ctx, p.id));
    expect(view.courses.map((x) => x.title)).toEqual(['Charlie', 'Bravo']);
    expect(view.available.map((x) => x.title)).toContain('Alpha');
    expect(view.available.map((x) => x.title)).not.toContain('Globex Only');

    // A published program keeps at least one course.
    await as(admin, (tx, ctx) => setProgramStatus(tx, ctx, p.id, 'published'));
    await as(admin, (tx, ctx) => removeProgramCourse(tx, ctx, { programId: p.id, courseId: b.id }));
    await expect(as(admin, (tx, ctx) => removeProgramCourse(tx, ctx, { programId: p.id, courseId: c.id }))).rejects.toMatchObject({ code: 'removeLast' });

    await expect(as(admin, (tx, ctx) => updateProgram(tx, ctx, p.id, { title: 'Ordered', slug: 'data-foundations', summary: '' }))).rejects.toMatchObject({ code: 'slugTaken', field: 'slug' });
    await as(admin, (tx, ctx) => updateProgram(tx, ctx, p.id, { title: 'Ordered well', slug: 'ordered-well', summary: 'In order.' }));

    const audit = await owner`select action, before, after from audit_log where target_id = ${p.id} order by created_at, id`;
    expect(audit.map((r) => r.action)).toEqual([
      'program.created',
      'program.course_added',
      'program.course_added',
      'program.course_added',
      'program.courses_reordered',
      'program.courses_reordered',
      'program.course_removed',
      'program.published',
      'program.course_removed',
      'program.updated',
    ]);
    expect(audit[4]).toMatchObject({ before: { courses: ['Alpha', 'Bravo', 'Charlie'] }, after: { courses: ['Alpha', 'Charlie', 'Bravo'] } });
    expect(audit[9]).toMatchObject({ before: { title: 'Ordered', slug: 'ordered', summary: '' }, after: { title: 'Ordered well', slug: 'ordered-well', summary: 'In order.' } });
  });
});

describe('learners and their programs', () => {
  it('shows published programs a learner is part of, with n of m courses completed; drafts and other programs stay hidden', async () => {
    const [x, y] = [await shortCourse(instructor, 'Xray'), await shortCourse(instructor, 'Yankee')];
    const z = await shortCourse(instructor, 'Zulu');
    const shown = await program('Shown program', [x, y]);
    await program('Draft program', [x], 'draft');
    const other = await program('Other program', [z]);
    const learner = await addMember(acme.tenant, 'learner');
    expect(await as(learner, (tx, ctx) => myPrograms(tx, ctx))).toEqual([]);

    await completeCourse(learner, x);
    const mine = await as(learner, (tx, ctx) => myPrograms(tx, ctx));
    expect(mine).toEqual([{ id: shown.id, slug: shown.slug, title: 'Shown program', summary: '', total: 2, completed: 1 }]);
    const detail = await as(learner, (tx, ctx) => programForLearner(tx, ctx, shown.slug));
    expect(detail.courses.map((c) => [c.title, c.enrolment])).toEqual([
      ['Xray', 'completed'],
      ['Yankee', 'none'],
    ]);
    expect(detail).toMatchObject({ completed: 1, certificate: null });
    await expect(as(learner, (tx, ctx) => programForLearner(tx, ctx, other.slug))).rejects.toMatchObject({ code: 'notFound' });
    await expect(as(learner, (tx, ctx) => programForLearner(tx, ctx, 'draft-program'))).rejects.toMatchObject({ code: 'notFound' });
    // Admins may look at any program; another organisation's members find nothing.
    expect((await as(admin, (tx, ctx) => programForLearner(tx, ctx, other.slug))).program.id).toBe(other.id);
    await expect(as(globex.owner, (tx, ctx) => programForLearner(tx, ctx, shown.slug))).rejects.toMatchObject({ code: 'notFound' });

    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, y.id));
    expect((await as(learner, (tx, ctx) => programForLearner(tx, ctx, shown.slug))).courses[1]!.enrolment).toBe('active');
  });
});

describe('program certificates (workflow issue-program-certificate)', () => {
  it('issues one program certificate when the last course is completed, in any order, and none for a draft program', async () => {
    const [one, two] = [await shortCourse(instructor, 'Course One'), await shortCourse(instructor, 'Course Two')];
    const p = await program('Two Step Program', [one, two]);
    await program('Two Step Draft', [one, two], 'draft');
    const learner = await addMember(acme.tenant, 'learner', { name: 'Mary Jackson' });

    await completeCourse(learner, two); // out of order
    await drainOnce();
    expect(await programCertificates(learner.user.id)).toEqual([]);
    expect((await steps(await lastCompletion(learner.user.id))).map((s) => [s.step_id, s.output])).toEqual([['find-programs', []]]);

    await completeCourse(learner, one);
    await drainOnce();
    const certs = await programCertificates(learner.user.id);
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({ program_id: p.id, title: 'Two Step Program' });
    const pdf = await objectStore().get(certs[0]!.file_key);
    const text = await pdfText(pdf!.body);
    expect(text).toContain('Program Certificate');
    expect(text).toContain('Mary Jackson');
    expect(text).toContain(certs[0]!.code);
    // Both course certificates too, and a notice for each of the three.
    const [courseCerts] = await owner`select count(*)::int as n from certificates where user_id = ${learner.user.id} and course_id is not null`;
    expect(courseCerts!.n).toBe(2);
    expect((await notices(learner.user.id)).map((n) => n.title)).toEqual([
      'Your certificate for Course One is ready',
      'Your certificate for Course Two is ready',
      'Your certificate for Two Step Program is ready',
    ]);
    const [event] = await owner`select payload from outbox where name = 'lectern/certificate.issued.v1' and payload->>'certificateId' = ${certs[0]!.id}`;
    expect(event!.payload).toMatchObject({ kind: 'program', userId: learner.user.id });
    expect((await steps(await lastCompletion(learner.user.id))).map((s) => s.step_id)).toEqual(['find-programs', `issue-${p.id}`, `notify-${p.id}`]);

    const detail = await as(learner, (tx, ctx) => programForLearner(tx, ctx, p.slug));
    expect(detail).toMatchObject({ completed: 2, certificate: { id: certs[0]!.id } });
  });

  it('when the PDF write fails once, the retry finishes the work without redoing a finished step: one certificate and one notice each', async () => {
    const [a, b, c] = [await shortCourse(instructor, 'Retry A'), await shortCourse(instructor, 'Retry B'), await shortCourse(instructor, 'Retry C')];
    const first = await program('Retry First Program', [a, b]);
    const second = await program('Retry Second Program', [b, c]);
    const learner = await addMember(acme.tenant, 'learner');
    await completeCourse(learner, a);
    await completeCourse(learner, c);
    await drainOnce();

    // Completing B completes both programs. Store writes in this pass: B's course certificate, then the first
    // program's, then the second program's — which fails once.
    const store = objectStore();
    const put = store.put.bind(store);
    let writes = 0;
    const spy = vi.spyOn(store, 'put').mockImplementation(async (...args) => {
      writes += 1;
      if (writes === 3) throw new Error('file store unavailable');
      return put(...args);
    });
    try {
      await completeCourse(learner, b);
      const eventId = await lastCompletion(learner.user.id);
      await drainOnce();

      const [outboxRow] = await owner`select sent_at, attempts, last_error from outbox where id = ${eventId}`;
      expect(outboxRow).toMatchObject({ sent_at: null, attempts: 1, last_error: expect.stringContaining('issue-program-certificate: Error: file store unavailable') });
      const runs = await owner`select job_id, status from job_runs where event_id = ${eventId} and job_id like 'issue-%' order by job_id`;
      expect([...runs]).toEqual([
        { job_id: 'issue-course-certificate', status: 'succeeded' },
        { job_id: 'issue-program-certificate', status: 'failed' },
      ]);
      // The finished steps are kept: the first program is issued and announced; the second is not issued at all.
      const kept = await steps(eventId);
      expect(kept.map((s) => s.step_id)).toEqual(['find-programs', `issue-${first.id}`, `notify-${first.id}`]);
      expect(kept[0]!.output).toEqual([
        { programId: first.id, completedAt: expect.any(String) },
        { programId: second.id, completedAt: expect.any(String) },
      ]);
      const before = await programCertificates(learner.user.id);
      expect(before.map((x) => x.program_id)).toEqual([first.id]);

      // The retry: only the second program's steps run (one store write), nothing finished runs again.
      await owner`update outbox set next_attempt_at = now() where id = ${eventId}`;
      await drainOnce();
      expect(writes).toBe(4);
      const [done] = await owner`select sent_at from outbox where id = ${eventId}`;
      expect(done!.sent_at).not.toBeNull();
      const after = await steps(eventId);
      expect(after.map((s) => s.step_id)).toEqual(['find-programs', `issue-${first.id}`, `notify-${first.id}`, `issue-${second.id}`, `notify-${second.id}`]);
      expect(after.slice(0, 3)).toEqual(kept); // same rows, same times: not redone

      const certs = await programCertificates(learner.user.id);
      expect(certs.map((x) => x.program_id)).toEqual([first.id, second.id]);
      expect(certs[0]).toEqual(before[0]); // the first program's certificate is the one issued before the failure
      expect((await notices(learner.user.id)).filter((n) => n.title.includes('Program'))).toEqual([
        { title: 'Your certificate for Retry First Program is ready', dedupe_key: `certificate:${certs[0]!.id}` },
        { title: 'Your certificate for Retry Second Program is ready', dedupe_key: `certificate:${certs[1]!.id}` },
      ]);
      const [events] = await owner`select count(*)::int as n from outbox where name = 'lectern/certificate.issued.v1' and payload->>'userId' = ${learner.user.id} and payload->>'kind' = 'program'`;
      expect(events!.n).toBe(2);

      // And a later redelivery of the same event changes nothing.
      await owner`update outbox set sent_at = null, next_attempt_at = now() where id = ${eventId}`;
      await drainOnce();
      expect(writes).toBe(4);
      expect(await programCertificates(learner.user.id)).toEqual(certs);
    } finally {
      spy.mockRestore();
    }
  });

  it('a PDF write that fails once for a single program: retried, exactly one certificate and one notice', async () => {
    const [a, b] = [await shortCourse(instructor, 'Solo A'), await shortCourse(instructor, 'Solo B')];
    const p = await program('Solo Program', [a, b]);
    const learner = await addMember(acme.tenant, 'learner');
    await completeCourse(learner, a);
    await drainOnce();

    const store = objectStore();
    const put = store.put.bind(store);
    let failed = false;
    let writes = 0;
    const spy = vi.spyOn(store, 'put').mockImplementation(async (...args) => {
      writes += 1;
      // B's course certificate is written first; the program's PDF is the second write of the pass.
      if (writes === 2 && !failed) {
        failed = true;
        throw new Error('disk full');
      }
      return put(...args);
    });
    try {
      await completeCourse(learner, b);
      const eventId = await lastCompletion(learner.user.id);
      await drainOnce();
      expect(await programCertificates(learner.user.id)).toEqual([]);
      expect((await steps(eventId)).map((s) => s.step_id)).toEqual(['find-programs']);
      await owner`update outbox set next_attempt_at = now() where id = ${eventId}`;
      await drainOnce();
      const certs = await programCertificates(learner.user.id);
      expect(certs.map((x) => x.program_id)).toEqual([p.id]);
      expect((await notices(learner.user.id)).filter((n) => n.title.includes('Solo Program'))).toHaveLength(1);
      expect(failed).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});
