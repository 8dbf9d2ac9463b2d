/**
 * Bulk CSV imports of users and enrolments as an admin meets them: the dry run (every kind of row problem,
 * with its line, and nothing written), applying in batches with progress, re-running the same file (all
 * unchanged, nothing new), the seat limit at dry run, start and apply, other organisations' courses, and a
 * job that crashes mid-import and resumes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext, TenantRef } from '@/lib/auth/context';
import { resetPassword } from '@/lib/auth/password-reset';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { createCourse, updateCourse, type Course } from '@/lib/courses/service';
import { enrolMembers } from '@/lib/enrolment/service';
import { checkImport, getImport, importErrors, importProgress, listImports, startImport, IMPORT_BATCH_EVENT } from '@/lib/imports/service';
import type { ImportKind } from '@/lib/imports/rows';
import { JOBS, type Job } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run';
import { drainOnce } from '@/lib/jobs/worker';
import { inviteMember } from '@/lib/members/service';
import { addLearners } from '../support/billing';
import { addMember, as, makeOrg, tokenFromLink, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(async () => {
  await owner.end();
});

const importJob = JOBS.find((j) => j.id === 'apply-import-batch')!;

async function dryRun(ctx: MemberContext, kind: ImportKind, lines: string[], fileName = 'people.csv') {
  const { id } = await as(ctx, (tx, c) => checkImport(tx, c, { kind, fileName }, lines.join('\r\n')));
  return as(ctx, (tx, c) => getImport(tx, c, id));
}

const start = (ctx: MemberContext, id: string) => as(ctx, (tx, c) => startImport(tx, c, id));
const progress = (ctx: MemberContext, id: string) => as(ctx, (tx, c) => importProgress(tx, c, id));

/** Run the background worker until the import is no longer running and every event it caused is handled. */
async function finish(ctx: MemberContext, id: string) {
  for (let i = 0; i < 200; i += 1) {
    const pass = await drainOnce();
    const p = await progress(ctx, id);
    if (p.status !== 'running' && pass.claimed === 0) return p;
  }
  throw new Error('import did not finish');
}

/** The organisation's rows an import could write (outbox without the import's own events). */
async function snapshot(tenantId: string) {
  const [row] = await owner`
    select (select count(*) from users)::int as users,
      (select count(*) from memberships where tenant_id = ${tenantId})::int as memberships,
      (select count(*) from enrolments where tenant_id = ${tenantId})::int as enrolments,
      (select count(*) from emails where tenant_id = ${tenantId})::int as emails,
      (select count(*) from auth_tokens where tenant_id = ${tenantId})::int as tokens,
      (select count(*) from audit_log where tenant_id = ${tenantId} and action not like 'import.%')::int as audit,
      (select count(*) from outbox where tenant_id = ${tenantId} and name not like 'lectern/import.%')::int as events,
      (select coalesce(sum(seats_taken), 0) from courses where tenant_id = ${tenantId})::int as seats`;
  return row!;
}

const problems = (errors: { line: number; field: string; message: string }[]) => errors.map((e) => [e.line, e.field, e.message]);

async function memberRow(tenantId: string, email: string) {
  const [row] = await owner`select m.role, m.sis_id, u.name, u.password_hash from memberships m join users u on u.id = m.user_id where m.tenant_id = ${tenantId} and u.email = ${email}`;
  return row as { role: string; sis_id: string | null; name: string; password_hash: string | null } | undefined;
}

async function publishedCourse(author: MemberContext, title: string, opts: { sisId?: string; capacity?: number } = {}): Promise<Course> {
  const c = await as(author, (tx, ctx) => createCourse(tx, ctx, { title }));
  if (opts.capacity !== undefined) {
    await as(author, (tx, ctx) =>
      updateCourse(tx, ctx, c.id, { title, slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: String(opts.capacity), startsAt: '', endsAt: '' } as never),
    );
  }
  if (opts.sisId) await owner`update courses set sis_id = ${opts.sisId} where id = ${c.id}`;
  return c;
}

let acme: Org;
let globex: Org;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
});

describe('users file: dry run', () => {
  it('reports each kind of row problem with its line and column, and writes nothing but the checked import', async () => {
    const holder = await addMember(acme.tenant, 'learner', { email: 'holder@acme.test' });
    await owner`update memberships set sis_id = 'S-TAKEN' where id = ${holder.membershipId}`;
    const gone = await addMember(acme.tenant, 'learner', { email: 'gone@acme.test' });
    await owner`update memberships set deactivated_at = now() where id = ${gone.membershipId}`;
    const before = await snapshot(acme.tenant.id);
    const check = await dryRun(acme.owner, 'users', [
      'Email,Name,Role,SIS_ID',
      'ok@new.test,New Person,learner,S-1',
      'not-an-email,Bad Address,learner,',
      'noname@new.test,,learner,',
      'wizard@new.test,Role Play,wizard,',
      'OK@new.test,Same Again,learner,',
      'dupsis@new.test,Dup Sis,learner,S-1',
      'taken@new.test,Taken Sis,learner,S-TAKEN',
      'boss@new.test,Boss,owner,',
      `${acme.owner.user.email},,learner,`,
      'short@new.test,Short Row',
      '',
      'gone@acme.test,,instructor,',
    ]);
    expect(problems(check.errors)).toEqual([
      [3, 'email', 'emailInvalid'],
      [4, 'name', 'nameMissing'],
      [5, 'role', 'roleUnknown'],
      [6, 'email', 'duplicateEmail'],
      [7, 'sis_id', 'duplicateSis'],
      [8, 'sis_id', 'sisTaken'],
      [9, 'role', 'ownerRole'],
      [10, 'role', 'ownerChange'],
      [11, 'file', 'cellCount'],
      [13, 'email', 'memberDeactivated'],
    ]);
    expect(check.errors.find((e) => e.line === 6)!.params).toEqual({ line: 2 });
    expect(check.errors.find((e) => e.line === 8)!.params).toEqual({ sis: 'S-TAKEN', email: 'holder@acme.test' });
    expect(check).toMatchObject({ status: 'checked', totalRows: 1, errorRows: 10, preview: { create: 1, update: 0, unchanged: 0, seats: { adds: 1, enough: true } } });
    expect(await snapshot(acme.tenant.id)).toEqual(before);
    expect(await memberRow(acme.tenant.id, 'ok@new.test')).toBeUndefined();
  });

  it('refuses a file whole when its columns or size are wrong, saying what to do', async () => {
    const refuse = (lines: string[]) => as(acme.owner, (tx, c) => checkImport(tx, c, { kind: 'users', fileName: 'x.csv' }, lines.join('\n')));
    await expect(refuse(['email,name,sisid', 'a@b.test,A,1'])).rejects.toMatchObject({ code: 'importUnknownColumn', params: { column: 'sisid', columns: 'email, name, role, sis_id' } });
    await expect(refuse(['name,role', 'A,learner'])).rejects.toMatchObject({ code: 'importMissingColumn', params: { column: 'email' } });
    await expect(refuse(['email,email', 'a@b.test,a@b.test'])).rejects.toMatchObject({ code: 'importDuplicateColumn' });
    await expect(refuse(['email,name', ''])).rejects.toMatchObject({ code: 'importEmpty' });
    await expect(refuse(['email,name', '"a@b.test,A'])).rejects.toMatchObject({ code: 'importMalformed' });
    await expect(refuse(['email', ...Array.from({ length: 50_001 }, (_, i) => `p${i}@b.test`)])).rejects.toMatchObject({ code: 'importTooManyRows' });
    await expect(refuse(['email,name', `a@b.test,${'x'.repeat(10 * 1024 * 1024)}`])).rejects.toMatchObject({ code: 'importTooLarge' });
    await expect(as(acme.owner, (tx, c) => checkImport(tx, c, { kind: 'enrolments', fileName: 'x.csv' }, 'course,role\nintro,learner'))).rejects.toMatchObject({ code: 'importMissingPersonColumn' });
  });

  it('is for admins only', async () => {
    const instructor = await addMember(acme.tenant, 'instructor');
    await expect(as(instructor, (tx, c) => checkImport(tx, c, { kind: 'users', fileName: 'x.csv' }, 'email\na@b.test'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(as(instructor, (tx, c) => listImports(tx, c, {}))).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('users file: apply, then the same file again', () => {
  it('creates people and memberships, updates roles and SIS ids, and a second run changes nothing', async () => {
    const existing = await addMember(acme.tenant, 'learner', { email: 'lin@acme.test', name: 'Lin' });
    await addMember(acme.tenant, 'instructor', { email: 'same@acme.test', name: 'Same' });
    await addMember(globex.tenant, 'learner', { email: 'eve@globex.test', name: 'Eve Globex' });
    const file = [
      'email,name,role,sis_id',
      'ada@new.test,Ada Lovelace,,S-100',
      'grace@new.test,Grace Hopper,instructor,',
      'lin@acme.test,Lin Renamed,instructor,S-101',
      'same@acme.test,Same,,',
      'eve@globex.test,Eve In File,learner,S-102',
    ];
    const before = await snapshot(acme.tenant.id);
    const check = await dryRun(acme.owner, 'users', file);
    expect(check).toMatchObject({ errorRows: 0, preview: { create: 3, update: 1, unchanged: 1, namesKept: 1, seats: { adds: 1 } } });
    await start(acme.owner, check.id);
    await expect(start(acme.owner, check.id)).rejects.toMatchObject({ code: 'importAlreadyStarted' });
    expect(await finish(acme.owner, check.id)).toMatchObject({ status: 'done', totalRows: 5, processedRows: 5, created: 3, updated: 1, unchanged: 1, failed: 0 });

    expect(await memberRow(acme.tenant.id, 'ada@new.test')).toMatchObject({ role: 'learner', sis_id: 'S-100', name: 'Ada Lovelace', password_hash: null });
    expect(await memberRow(acme.tenant.id, 'grace@new.test')).toMatchObject({ role: 'instructor', sis_id: null });
    // Names belong to the person's account: an import never renames an existing one.
    expect(await memberRow(acme.tenant.id, 'lin@acme.test')).toMatchObject({ role: 'instructor', sis_id: 'S-101', name: 'Lin' });
    expect(await memberRow(acme.tenant.id, 'eve@globex.test')).toMatchObject({ role: 'learner', sis_id: 'S-102', name: 'Eve Globex', password_hash: expect.any(String) });
    expect(await memberRow(globex.tenant.id, 'eve@globex.test')).toMatchObject({ role: 'learner', sis_id: null });

    // New people choose a password through the emailed link; people with an account are told to sign in.
    const [welcome] = await owner`select text from emails where tenant_id = ${acme.tenant.id} and "to" = 'ada@new.test'`;
    expect(welcome!.text).toContain('Choose your password');
    await resetPassword(acme.tenant, { token: tokenFromLink(welcome!.text as string, 'reset-password'), password: 'a-brand-new-password', confirm: 'a-brand-new-password' });
    expect((await memberRow(acme.tenant.id, 'ada@new.test'))!.password_hash).toEqual(expect.any(String));
    const [added] = await owner`select subject, text from emails where tenant_id = ${acme.tenant.id} and "to" = 'eve@globex.test'`;
    expect(added).toMatchObject({ subject: 'You were added to Acme on Lectern', text: expect.stringContaining('/sign-in') });
    expect(added!.text).not.toContain('reset-password');

    const after = await snapshot(acme.tenant.id);
    expect(after).toMatchObject({ users: before.users + 2, memberships: before.memberships + 3, emails: before.emails + 3 + 1, tokens: before.tokens + 2 });
    const audit = await owner<{ action: string; target_label: string | null }[]>`
      select action, target_label from audit_log where tenant_id = ${acme.tenant.id} and created_at > now() - interval '1 minute' order by created_at`;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['import.started', 'member.role_changed', 'import.finished']));
    expect(audit.find((a) => a.action === 'member.role_changed')!.target_label).toBe('lin@acme.test');
    expect(existing.membershipId).toBeTruthy();

    // The same file again: every row unchanged, nothing written but the import's own record and audit pair.
    const again = await dryRun(acme.owner, 'users', file);
    expect(again).toMatchObject({ errorRows: 0, preview: { create: 0, update: 0, unchanged: 5, seats: { adds: 0 } }, importedBefore: expect.any(Date) });
    const auditBefore = await owner`select count(*)::int as n from audit_log where tenant_id = ${acme.tenant.id}`;
    await start(acme.owner, again.id);
    expect(await finish(acme.owner, again.id)).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 5, failed: 0 });
    expect(await snapshot(acme.tenant.id)).toEqual(after);
    const auditAfter = await owner`select count(*)::int as n from audit_log where tenant_id = ${acme.tenant.id}`;
    expect(auditAfter[0]!.n - auditBefore[0]!.n).toBe(2); // import.started and import.finished only
    const list = await as(acme.owner, (tx, c) => listImports(tx, c, {}));
    expect(list.rows.slice(0, 2).map((r) => [r.id, r.status])).toEqual([
      [again.id, 'done'],
      [check.id, 'done'],
    ]);
  });
});

describe('enrolments file', () => {
  let intro: Course;
  let cs101: Course;
  let small: Course;
  let theirs: Course;
  let people: Record<'ana' | 'bo' | 'cy' | 'dee', MemberContext>;

  beforeAll(async () => {
    intro = await publishedCourse(acme.owner, 'Intro to computing');
    cs101 = await publishedCourse(acme.owner, 'Programming', { sisId: 'CS-101' });
    small = await publishedCourse(acme.owner, 'Seminar', { capacity: 1 });
    theirs = await publishedCourse(globex.owner, 'Secret globex course', { sisId: 'G-1' });
    people = {
      ana: await addMember(acme.tenant, 'learner', { email: 'ana@acme.test' }),
      bo: await addMember(acme.tenant, 'learner', { email: 'bo@acme.test' }),
      cy: await addMember(acme.tenant, 'learner', { email: 'cy@acme.test' }),
      dee: await addMember(acme.tenant, 'learner', { email: 'dee@acme.test' }),
    };
    await owner`update memberships set sis_id = 'U-BO' where id = ${people.bo.membershipId}`;
    await as(acme.owner, (tx, c) => enrolMembers(tx, c, intro.id, [{ email: 'cy@acme.test', role: 'learner' }]));
    await owner`insert into enrolments (tenant_id, course_id, user_id, role, status) values (${acme.tenant.id}, ${intro.id}, ${people.dee.user.id}, 'learner', 'pending')`;
  });

  it('enrols by email or SIS id, updates roles, and reports unknown people and courses — other organisations’ included', async () => {
    const file = [
      'email,user_sis_id,course,role,sis_id',
      'ana@acme.test,,intro-to-computing,,E-1',
      ',U-BO,sis:CS-101,ta,',
      'cy@acme.test,,Intro-to-Computing,instructor,',
      'dee@acme.test,,intro-to-computing,,',
      `ana@acme.test,,${theirs.slug},,`,
      'ana@acme.test,,sis:G-1,,',
      `${globex.owner.user.email},,intro-to-computing,,`,
      'ghost@acme.test,,intro-to-computing,,',
      'bo@acme.test,U-BO,intro-to-computing,wizard,',
      'ana@acme.test,U-BO,sis:CS-101,,',
      'bo@acme.test,,sis:CS-101,,',
      'ana@acme.test,,seminar,,',
      'bo@acme.test,,seminar,,',
      `${acme.owner.user.email},,seminar,ta,`,
    ];
    const before = await snapshot(acme.tenant.id);
    const check = await dryRun(acme.owner, 'enrolments', file, 'enrolments.csv');
    await expect(start(globex.owner, check.id)).rejects.toMatchObject({ code: 'importNotFound' });
    expect(problems(check.errors)).toEqual([
      [6, 'course', 'unknownCourse'],
      [7, 'course', 'unknownCourse'],
      [8, 'email', 'unknownPerson'],
      [9, 'email', 'unknownPerson'],
      [10, 'role', 'courseRoleUnknown'],
      [11, 'user_sis_id', 'personMismatch'],
      [12, 'course', 'duplicateEnrolment'],
      [14, 'course', 'courseFull'],
      [15, 'role', 'lastInstructor'],
    ]);
    expect(check.preview).toMatchObject({ create: 4, update: 1, unchanged: 0 });
    expect(await snapshot(acme.tenant.id)).toEqual(before);

    await start(acme.owner, check.id);
    expect(await finish(acme.owner, check.id)).toMatchObject({ status: 'done', created: 4, updated: 1, unchanged: 0, failed: 0 });
    const rows = await owner<{ email: string; slug: string; role: string; status: string; sis_id: string | null }[]>`
      select u.email, c.slug, e.role, e.status, e.sis_id from enrolments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
      where e.tenant_id = ${acme.tenant.id} and u.email in ('ana@acme.test', 'bo@acme.test', 'cy@acme.test', 'dee@acme.test') order by u.email, c.slug`;
    expect(rows).toEqual([
      { email: 'ana@acme.test', slug: intro.slug, role: 'learner', status: 'active', sis_id: 'E-1' },
      { email: 'ana@acme.test', slug: small.slug, role: 'learner', status: 'active', sis_id: null },
      { email: 'bo@acme.test', slug: cs101.slug, role: 'ta', status: 'active', sis_id: null },
      { email: 'cy@acme.test', slug: intro.slug, role: 'instructor', status: 'active', sis_id: null },
      { email: 'dee@acme.test', slug: intro.slug, role: 'learner', status: 'active', sis_id: null },
    ]);
    const seats = await owner`select slug, seats_taken from courses where id in (${intro.id}, ${small.id}) order by slug`;
    expect(seats.map((s) => [s.slug, s.seats_taken])).toEqual([
      [intro.slug, 2], // ana and dee; cy became an instructor and gave hers back
      [small.slug, 1],
    ]);
    const [theirRows] = await owner`select count(*)::int as n from enrolments where course_id = ${theirs.id}`;
    expect(theirRows!.n).toBe(1); // only its creator
    // Another organisation's admin cannot see, start or download this import.
    await expect(as(globex.owner, (tx, c) => getImport(tx, c, check.id))).rejects.toMatchObject({ code: 'importNotFound' });
    await expect(as(globex.owner, (tx, c) => importErrors(tx, c, check.id))).rejects.toMatchObject({ code: 'importNotFound' });
    expect((await as(globex.owner, (tx, c) => listImports(tx, c, {}))).rows).toEqual([]);

    const again = await dryRun(acme.owner, 'enrolments', file, 'enrolments.csv');
    expect(again.preview).toMatchObject({ create: 0, update: 0, unchanged: 5 });
    const snap = await snapshot(acme.tenant.id);
    await start(acme.owner, again.id);
    expect(await finish(acme.owner, again.id)).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 5 });
    expect(await snapshot(acme.tenant.id)).toEqual(snap);
  });
});

describe('the seat limit (Free plan, 25 learner seats)', () => {
  let free: Org;

  beforeAll(async () => {
    free = await makeOrg('freebie', { plan: 'free' });
    await addLearners(free.tenant, 20);
  });

  const learnerRows = (prefix: string, n: number) => ['email,name', ...Array.from({ length: n }, (_, i) => `${prefix}${i}@new.test,Learner ${prefix}${i}`)];

  it('says at dry run that the file adds more learners than there are free seats, and refuses to start it', async () => {
    const check = await dryRun(free.owner, 'users', [...learnerRows('many', 8), 'boss@new.test,Boss,admin']);
    expect(check.preview!.seats).toEqual({ adds: 8, free: 5, limit: 25, plan: 'Free', pastDueLocked: false, overLimit: false, enough: false });
    const error = await start(free.owner, check.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillingLimitError);
    expect(error).toMatchObject({ code: 'seatLimitReachedMany', params: { add: 8, limit: 25 } });
    expect((await progress(free.owner, check.id)).status).toBe('checked');
    const [n] = await owner`select count(*)::int as n from memberships where tenant_id = ${free.tenant.id}`;
    expect(n!.n).toBe(21);
  });

  it('checks again at start and in every batch: rows beyond the seats left fail, the rest are imported', async () => {
    const stale = await dryRun(free.owner, 'users', learnerRows('late', 4));
    expect(stale.preview!.seats).toMatchObject({ adds: 4, free: 5, enough: true });
    for (const email of ['inv1@new.test', 'inv2@new.test']) await as(free.owner, (tx, c) => inviteMember(tx, c, { email, role: 'learner' }));
    await expect(start(free.owner, stale.id)).rejects.toMatchObject({ code: 'seatLimitReachedMany' }); // 3 free now

    const fits = await dryRun(free.owner, 'users', learnerRows('fit', 3));
    await start(free.owner, fits.id);
    await as(free.owner, (tx, c) => inviteMember(tx, c, { email: 'inv3@new.test', role: 'learner' })); // after the start: 2 free
    expect(await finish(free.owner, fits.id)).toMatchObject({ status: 'done', created: 2, failed: 1 });
    const { errors } = await as(free.owner, (tx, c) => importErrors(tx, c, fits.id));
    expect(errors).toEqual([{ line: 4, field: 'role', message: 'noSeatLeft', apply: true }]);
    const [n] = await owner`select count(*)::int as n from memberships where tenant_id = ${free.tenant.id} and role = 'learner'`;
    expect(n!.n).toBe(22); // + 3 open invitations = 25
  });
});

describe('large files: batches, progress and a crash', () => {
  let big: Org;

  beforeAll(async () => {
    big = await makeOrg('bigco');
  });

  const bigFile = (prefix: string, n: number) => ['email,name,sis_id', ...Array.from({ length: n }, (_, i) => `${prefix}${i}@bigco.test,Person ${i},${prefix.toUpperCase()}-${i}`)];

  /** The pending batch event of this organisation, run by the job as the worker would, then marked sent. */
  async function runNextBatch(tenant: TenantRef, job: Job = importJob) {
    const [event] = await owner<{ id: string; payload: Record<string, unknown>; created_at: Date }[]>`
      select id, payload, created_at from outbox where tenant_id = ${tenant.id} and name = ${IMPORT_BATCH_EVENT} and sent_at is null order by created_at limit 1`;
    if (!event) throw new Error('no batch event pending');
    const outcome = await withTenant(tenant.id, (tx) => runJob(tx, job, tenant.id, { id: event.id, name: IMPORT_BATCH_EVENT, payload: event.payload, createdAt: event.created_at }));
    if (outcome.status === 'succeeded') await owner`update outbox set sent_at = now() where id = ${event.id}`;
    return { event, outcome };
  }

  it('applies 500 rows per transaction and the counters advance batch by batch', async () => {
    const check = await dryRun(big.owner, 'users', bigFile('p', 1200), 'big.csv');
    expect(check.preview).toMatchObject({ create: 1200 });
    await start(big.owner, check.id);
    const seen: [string, number, number][] = [];
    for (let i = 0; i < 3; i += 1) {
      await runNextBatch(big.tenant);
      const p = await progress(big.owner, check.id);
      seen.push([p.status, p.processedRows, p.created]);
    }
    expect(seen).toEqual([
      ['running', 500, 500],
      ['running', 1000, 1000],
      ['done', 1200, 1200],
    ]);
    await expect(runNextBatch(big.tenant)).rejects.toThrow('no batch event pending');
  }, 60_000);

  it('resumes after a crash mid-batch without duplicating or skipping anyone', async () => {
    const before = await snapshot(big.tenant.id);
    const check = await dryRun(big.owner, 'users', bigFile('q', 1100), 'resume.csv');
    await start(big.owner, check.id);
    const first = await runNextBatch(big.tenant);
    expect(first.outcome.status).toBe('succeeded');

    // The process dies in the middle of the second batch: its transaction is rolled back, its event stays due.
    const crashing: Job = { ...importJob, handler: async (c) => {
      await importJob.handler(c);
      throw new Error('worker killed');
    } };
    const crashed = await runNextBatch(big.tenant, crashing);
    expect(crashed.outcome.status).toBe('failed');
    expect(await progress(big.owner, check.id)).toMatchObject({ status: 'running', processedRows: 500, created: 500 });
    const [mid] = await owner`select count(*)::int as n from memberships where tenant_id = ${big.tenant.id}`;
    expect(mid!.n).toBe(before.memberships + 500);

    // A redelivered first event and a stale duplicate change nothing.
    const redelivered = await withTenant(big.tenant.id, (tx) => runJob(tx, importJob, big.tenant.id, { id: first.event.id, name: IMPORT_BATCH_EVENT, payload: first.event.payload, createdAt: first.event.created_at }));
    expect(redelivered.status).toBe('already-done');
    await withTenant(big.tenant.id, (tx) => runJob(tx, importJob, big.tenant.id, { id: randomUUID(), name: IMPORT_BATCH_EVENT, payload: { importId: check.id, from: 0 }, createdAt: new Date() }));
    expect((await progress(big.owner, check.id)).processedRows).toBe(500);

    await owner`update outbox set next_attempt_at = now() where tenant_id = ${big.tenant.id} and sent_at is null`;
    expect(await finish(big.owner, check.id)).toMatchObject({ status: 'done', processedRows: 1100, created: 1100, failed: 0 });
    const after = await snapshot(big.tenant.id);
    expect(after.memberships - before.memberships).toBe(1100);
    expect(after.users - before.users).toBe(1100);
    expect(after.emails - before.emails).toBe(1100);
    expect(after.tokens - before.tokens).toBe(1100);
    const [dupes] = await owner`select count(*)::int as n from (select "to" from emails where tenant_id = ${big.tenant.id} group by "to" having count(*) > 1) d`;
    expect(dupes!.n).toBe(0);
  }, 60_000);
});
