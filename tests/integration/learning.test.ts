import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { addItem, addModule, updateItem } from '@/lib/courses/structure';
import { checkImportRows, commitImport } from '@/lib/enrolment/import';
import { learnerDetail, listRoster } from '@/lib/enrolment/roster';
import { decideRequest, enrolMembers, leaveCourse, selfEnrol, setCourseRole, unenrol } from '@/lib/enrolment/service';
import { ConflictError, ForbiddenError } from '@/lib/errors';
import { learnerHome, loadPlayer, markItemComplete, recordVideoWatch } from '@/lib/learning/player';
import { removeMember } from '@/lib/members/service';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


const DAY = 86_400_000;
let acme: Org;
let instructor: MemberContext;

/** A published course with the given settings, built through the services. */
async function publishedCourse(title: string, over: Record<string, string> = {}): Promise<Course> {
  const c = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title }));
  await as(instructor, (tx, ctx) =>
    updateCourse(tx, ctx, c.id, { title, slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '', ...over } as never),
  );
  return as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
}

async function events(tenantId: string, name: string) {
  return owner`select payload from outbox where tenant_id = ${tenantId} and name = ${name} order by created_at`;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  instructor = await addMember(acme.tenant, 'instructor');
});

describe('capacity', () => {
  it('holds under concurrency: 50 parallel enrolments into 10 seats give exactly 10', async () => {
    const course = await publishedCourse('Ten seats', { capacity: '10' });
    const learners = await Promise.all(Array.from({ length: 50 }, () => addMember(acme.tenant, 'learner')));
    const results = await Promise.allSettled(learners.map((l) => as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const full = results.filter((r) => r.status === 'rejected' && (r.reason as ConflictError).code === 'courseFull');
    expect(ok).toHaveLength(10);
    expect(full).toHaveLength(40);
    const [row] = await owner`select seats_taken, (select count(*)::int from enrolments e where e.course_id = c.id and e.role = 'learner') as learners from courses c where id = ${course.id}`;
    expect(row).toMatchObject({ seats_taken: 10, learners: 10 });
    expect(await events(acme.tenant.id, 'lectern/enrolment.created.v1')).toHaveLength(10);
  });

  it('frees a seat on unenrol, and staff imports take all their seats or none', async () => {
    const course = await publishedCourse('Two seats', { capacity: '2' });
    const [a, b, c] = await Promise.all([addMember(acme.tenant, 'learner'), addMember(acme.tenant, 'learner'), addMember(acme.tenant, 'learner')]);
    await expect(as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [a, b, c].map((m) => ({ email: m.user.email, role: 'learner' as const }))))).rejects.toMatchObject({
      code: 'courseFull',
    });
    const [none] = await owner`select count(*)::int as n from enrolments where course_id = ${course.id} and role = 'learner'`;
    expect(none!.n).toBe(0); // nothing half-written
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [a, b].map((m) => ({ email: m.user.email, role: 'learner' as const }))));
    await expect(as(c, (tx, ctx) => selfEnrol(tx, ctx, course.id))).rejects.toMatchObject({ code: 'courseFull' });
    const [ea] = await owner`select id from enrolments where course_id = ${course.id} and user_id = ${a.user.id}`;
    await as(a, (tx, ctx) => unenrol(tx, ctx, ea!.id));
    await as(c, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const [row] = await owner`select seats_taken from courses where id = ${course.id}`;
    expect(row!.seats_taken).toBe(2);
  });
});

describe('enrolment modes and course roles', () => {
  it('approval courses file a request that an instructor approves; invite-only refuses', async () => {
    const course = await publishedCourse('By approval', { enrolmentMode: 'approval' });
    const l = await addMember(acme.tenant, 'learner');
    const pending = await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    expect(pending.status).toBe('pending');
    await expect(as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id))).rejects.toMatchObject({ code: 'alreadyRequested' });
    await expect(as(l, (tx, ctx) => decideRequest(tx, ctx, pending.id, 'approve'))).rejects.toBeInstanceOf(ForbiddenError);
    await as(instructor, (tx, ctx) => decideRequest(tx, ctx, pending.id, 'approve'));
    const [row] = await owner`select status, enrolled_at from enrolments where id = ${pending.id}`;
    expect(row!.status).toBe('active');
    expect(row!.enrolled_at).toBeInstanceOf(Date);
    await expect(as(instructor, (tx, ctx) => decideRequest(tx, ctx, pending.id, 'decline'))).rejects.toMatchObject({ code: 'requestAlreadyDecided' });

    // Staff adding someone whose request is pending let them in with the role staff chose.
    const asker = await addMember(acme.tenant, 'learner');
    await as(asker, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: asker.user.email, role: 'ta' }]));
    const [asTa] = await owner`select role, status from enrolments where course_id = ${course.id} and user_id = ${asker.user.id}`;
    expect(asTa).toMatchObject({ role: 'ta', status: 'active' });

    const invite = await publishedCourse('Invite only', { enrolmentMode: 'invite' });
    await expect(as(l, (tx, ctx) => selfEnrol(tx, ctx, invite.id))).rejects.toMatchObject({ code: 'courseInviteOnly' });
  });

  it('keeps at least one instructor, and a TA can read the roster but not change it', async () => {
    const course = await publishedCourse('Roles');
    const ta = await addMember(acme.tenant, 'learner');
    const l = await addMember(acme.tenant, 'learner');
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }, { email: l.user.email, role: 'learner' }]));
    const [mine] = await owner`select id from enrolments where course_id = ${course.id} and user_id = ${instructor.user.id}`;
    await expect(as(instructor, (tx, ctx) => setCourseRole(tx, ctx, mine!.id, 'learner'))).rejects.toMatchObject({ code: 'lastInstructor' });
    const roster = await as(ta, (tx, ctx) => listRoster(tx, ctx, course.slug, {}));
    expect(roster.rows.map((r) => r.role).sort()).toEqual(['instructor', 'learner', 'ta']);
    expect(roster.access.canAuthor).toBe(false);
    expect(roster.total).toBe(3);
    // Newest first by default (the instructor created the course before adding the others); by name on request.
    expect(roster.rows.at(-1)!.userId).toBe(instructor.user.id);
    const byName = await as(ta, (tx, ctx) => listRoster(tx, ctx, course.slug, { sort: 'name' }));
    expect(byName.rows.map((r) => r.name)).toEqual([...byName.rows.map((r) => r.name)].sort((x, y) => x.localeCompare(y)));
    const searched = await as(ta, (tx, ctx) => listRoster(tx, ctx, course.slug, { q: l.user.email }));
    expect([searched.total, searched.rows.map((r) => r.userId)]).toEqual([1, [l.user.id]]);
    const [le] = await owner`select id from enrolments where course_id = ${course.id} and user_id = ${l.user.id}`;
    await expect(as(ta, (tx, ctx) => setCourseRole(tx, ctx, le!.id, 'instructor'))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(l, (tx, ctx) => listRoster(tx, ctx, course.slug, {}))).rejects.toBeInstanceOf(ForbiddenError);
    const stranger = await addMember(acme.tenant, 'instructor');
    await expect(as(stranger, (tx, ctx) => learnerDetail(tx, ctx, course.slug, l.user.id))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('checks an import row by row before writing anything, then enrols the valid rows in one go', async () => {
    const course = await publishedCourse('Imported');
    const [a, b] = await Promise.all([addMember(acme.tenant, 'learner'), addMember(acme.tenant, 'learner')]);
    const rows = [
      { line: 2, email: a.user.email.toUpperCase(), role: 'Student' },
      { line: 3, email: 'not-an-email', role: '' },
      { line: 4, email: 'stranger@elsewhere.test', role: '' },
      { line: 5, email: a.user.email, role: '' },
      { line: 6, email: b.user.email, role: 'wizard' },
      { line: 7, email: instructor.user.email, role: 'instructor' },
    ];
    const checks = await as(instructor, (tx, ctx) => checkImportRows(tx, ctx, course.id, rows));
    expect(checks.map((c) => (c.status === 'error' ? c.problem : c.status))).toEqual(['ok', 'emailInvalid', 'notMember', 'duplicate', 'roleUnknown', 'enrolled']);
    const [before] = await owner`select count(*)::int as n from enrolments where course_id = ${course.id}`;
    expect(before!.n).toBe(1); // only the instructor: checking wrote nothing
    const result = await as(instructor, (tx, ctx) => commitImport(tx, ctx, course.id, rows));
    expect(result).toEqual({ added: 1, alreadyEnrolled: 1, skipped: 4 });
    await expect(as(instructor, (tx, ctx) => checkImportRows(tx, ctx, course.id, [{ line: 1, email: 'x'.repeat(500), role: '' }]))).rejects.toMatchObject({ code: 'csvRowsInvalid' });
  });
});

describe('the course player', () => {
  let course: Course;
  let items: { lesson: string; gated: string; drip: string; video: string };
  let learner: MemberContext;

  beforeAll(async () => {
    course = await publishedCourse('Player');
    const mod = await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Week 1' }));
    const lesson = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'lesson', { title: 'Read me', required: 'on', html: '<p>Secret lesson text</p>' }));
    const gated = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'lesson', { title: 'After reading', required: 'on', html: '<p>Gated</p>', prerequisiteItemId: lesson.id }));
    const drip = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'lesson', { title: 'Day three', required: 'on', html: '<p>Later</p>', releaseAfterDays: '3' }));
    const key = `t/${acme.tenant.id}/ab/abc.webm`;
    await owner`insert into files (tenant_id, key, content_type, size, sha256) values (${acme.tenant.id}, ${key}, 'video/webm', 1000, 'abc')`;
    const video = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'video', { title: 'Watch', required: 'on', fileKey: key, filename: 'talk.webm' }));
    await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'link', { title: 'Optional reading', url: 'https://example.com' }));
    items = { lesson: lesson.id, gated: gated.id, drip: drip.id, video: video.id };
    learner = await addMember(acme.tenant, 'learner');
  });

  it('refuses people who are not enrolled', async () => {
    await expect(as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, items.lesson))).rejects.toMatchObject({ code: 'notEnrolled' });
    await expect(as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.lesson))).rejects.toMatchObject({ code: 'notEnrolled' });
  });

  it('enforces release rules on the server and says when a drip item opens', async () => {
    await as(learner, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const view = await as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, items.gated));
    expect(view.current).toMatchObject({ lock: { locked: true, reason: 'prerequisite', prerequisiteItemId: items.lesson }, content: null });
    await expect(as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.gated))).rejects.toMatchObject({ code: 'itemLocked' });

    const drip = await as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, items.drip));
    expect(drip.current!.lock).toMatchObject({ locked: true, reason: 'date' });
    const opens = (drip.current!.lock as { opensAt: Date }).opensAt.getTime();
    expect(Math.abs(opens - (Date.now() + 3 * DAY))).toBeLessThan(60_000);
    await expect(as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.drip))).rejects.toMatchObject({ code: 'itemLocked' });
    // Three days later it is open.
    const later = await as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, items.drip, new Date(Date.now() + 3 * DAY + 60_000)));
    expect(later.current).toMatchObject({ lock: { locked: false }, content: { html: '<p>Later</p>' } });
  });

  it('completes items once, counts a video at 90 % watched, and completes the course with its events', async () => {
    await as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.lesson));
    await as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.lesson)); // a double click changes nothing
    await as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.gated));
    await expect(as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.video))).rejects.toMatchObject({ code: 'watchToComplete' });

    // Two reports at once (a beacon racing the periodic report) both count.
    await Promise.all([
      as(learner, (tx, ctx) => recordVideoWatch(tx, ctx, items.video, { duration: 100, ranges: [[0, 10]] })),
      as(learner, (tx, ctx) => recordVideoWatch(tx, ctx, items.video, { duration: 100, ranges: [[10, 20]] })),
    ]);
    const [both] = await owner`select watched from item_progress where item_id = ${items.video}`;
    expect(both!.watched).toEqual([[0, 20]]);
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000);
    const half = await as(learner, (tx, ctx) => recordVideoWatch(tx, ctx, items.video, { duration: 100, ranges: [[0, 30], [20, 50]] }, at(10)));
    expect(half).toEqual({ watched: 0.5, completed: false });
    const again = await as(learner, (tx, ctx) => recordVideoWatch(tx, ctx, items.video, { duration: 100, ranges: [[0, 50]] }, at(12)));
    expect(again.watched).toBe(0.5); // re-watching the same part does not count twice
    const most = await as(learner, (tx, ctx) => recordVideoWatch(tx, ctx, items.video, { duration: 100, ranges: [[50, 91]] }, at(20)));
    expect(most).toEqual({ watched: 0.91, completed: true });

    let view = await as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, null));
    expect(view.progress).toEqual({ requirement_count: 4, requirement_completed_count: 3, next_requirement_url: `/learn/${course.slug}/${items.drip}`, completed_at: null });

    const later = new Date(Date.now() + 4 * DAY);
    await as(learner, (tx, ctx) => markItemComplete(tx, ctx, items.drip, later));
    view = await as(learner, (tx, ctx) => loadPlayer(tx, ctx, course.slug, null, later));
    expect(view.progress).toMatchObject({ requirement_count: 4, requirement_completed_count: 4, next_requirement_url: null });
    expect(view.progress.completed_at).toBe(later.toISOString());

    const completedItems = (await events(acme.tenant.id, 'lectern/item.completed.v1')).filter((e) => e.payload.userId === learner.user.id);
    expect(completedItems.map((e) => e.payload.itemId).sort()).toEqual([items.lesson, items.gated, items.video, items.drip].sort());
    const done = (await events(acme.tenant.id, 'lectern/course.completed.v1')).filter((e) => e.payload.userId === learner.user.id);
    expect(done).toHaveLength(1);
    expect(done[0]!.payload).toMatchObject({ courseId: course.id });

    const home = await as(learner, (tx, ctx) => learnerHome(tx, ctx));
    expect(home.completed.map((c) => [c.slug, c.done, c.required])).toEqual([[course.slug, 4, 4]]);
    expect(home.inProgress).toEqual([]);
  });

  it('resumes where the learner left off', async () => {
    const other = await addMember(acme.tenant, 'learner');
    await as(other, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const first = await as(other, (tx, ctx) => loadPlayer(tx, ctx, course.slug, null));
    expect(first.resumeHref).toBe(`/learn/${course.slug}/${items.lesson}`);
    await as(other, (tx, ctx) => loadPlayer(tx, ctx, course.slug, items.video));
    const back = await as(other, (tx, ctx) => loadPlayer(tx, ctx, course.slug, null));
    expect(back.resumeHref).toBe(`/learn/${course.slug}/${items.video}`);
    const home = await as(other, (tx, ctx) => learnerHome(tx, ctx));
    expect(home.inProgress[0]).toMatchObject({ slug: course.slug, continueHref: `/learn/${course.slug}/${items.video}`, done: 0, required: 4 });
  });
});

describe('seats and completion under concurrency', () => {
  async function seats(courseId: string) {
    const [row] = await owner`select seats_taken, (select count(*)::int from enrolments e where e.course_id = c.id and e.role = 'learner' and e.status = 'active') as learners from courses c where id = ${courseId}`;
    return row as unknown as { seats_taken: number; learners: number };
  }

  it('gives back the seats of a member removed from the organisation', async () => {
    const course = await publishedCourse('One seat', { capacity: '1' });
    const [leaver, next] = await Promise.all([addMember(acme.tenant, 'learner'), addMember(acme.tenant, 'learner')]);
    await as(leaver, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    await as(acme.owner, (tx, ctx) => removeMember(tx, ctx, { membershipId: leaver.membershipId }));
    expect(await seats(course.id)).toEqual({ seats_taken: 0, learners: 0 });
    await as(next, (tx, ctx) => selfEnrol(tx, ctx, course.id));
  });

  it('keeps the seat count true when staff act on one enrolment at once', async () => {
    const course = await publishedCourse('Racing staff', { enrolmentMode: 'approval', capacity: '5' });
    const l = await addMember(acme.tenant, 'learner');
    const request = await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const approvals = await Promise.allSettled([1, 2].map(() => as(instructor, (tx, ctx) => decideRequest(tx, ctx, request.id, 'approve'))));
    expect(approvals.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await seats(course.id)).toEqual({ seats_taken: 1, learners: 1 });
    const created = (await events(acme.tenant.id, 'lectern/enrolment.created.v1')).filter((e) => e.payload.enrolmentId === request.id);
    expect(created).toHaveLength(1);

    await Promise.allSettled([as(l, (tx, ctx) => unenrol(tx, ctx, request.id)), as(instructor, (tx, ctx) => unenrol(tx, ctx, request.id))]);
    expect(await seats(course.id)).toEqual({ seats_taken: 0, learners: 0 });
  });

  it('never leaves a course without an instructor when two demote each other', async () => {
    const course = await publishedCourse('Two instructors');
    const second = await addMember(acme.tenant, 'instructor');
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: second.user.email, role: 'instructor' }]));
    const ids = await owner`select id, user_id from enrolments where course_id = ${course.id} and role = 'instructor'`;
    const idOf = (userId: string) => ids.find((r) => r.user_id === userId)!.id as string;
    await Promise.allSettled([
      as(instructor, (tx, ctx) => setCourseRole(tx, ctx, idOf(second.user.id), 'learner')),
      as(second, (tx, ctx) => setCourseRole(tx, ctx, idOf(instructor.user.id), 'learner')),
    ]);
    const [left] = await owner`select count(*)::int as n from enrolments where course_id = ${course.id} and role = 'instructor'`;
    expect(left!.n).toBe(1);
  });

  it('completes the course when its last two items are completed at the same moment', async () => {
    const course = await publishedCourse('Two at once');
    const mod = await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Only' }));
    const a = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'link', { title: 'A', required: 'on', url: 'https://example.com/a' }));
    const b = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'link', { title: 'B', required: 'on', url: 'https://example.com/b' }));
    const learners = await Promise.all(Array.from({ length: 8 }, () => addMember(acme.tenant, 'learner')));
    for (const l of learners) await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    await Promise.all(learners.flatMap((l) => [a, b].map((item) => as(l, (tx, ctx) => markItemComplete(tx, ctx, item.id)))));
    const [row] = await owner`select count(*) filter (where completed_at is not null)::int as done from enrolments where course_id = ${course.id} and role = 'learner'`;
    expect(row!.done).toBe(8);
  });

  it('records no progress for staff or in a course taken back to draft, and lets a declined learner into a course that opened', async () => {
    const course = await publishedCourse('Guarded progress', { enrolmentMode: 'approval' });
    const mod = await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Only' }));
    const item = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'link', { title: 'A', required: 'on', url: 'https://example.com/a' }));
    await expect(as(instructor, (tx, ctx) => markItemComplete(tx, ctx, item.id))).rejects.toMatchObject({ code: 'notEnrolled' });

    const l = await addMember(acme.tenant, 'learner');
    const request = await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    await as(instructor, (tx, ctx) => decideRequest(tx, ctx, request.id, 'decline'));
    await as(instructor, (tx, ctx) =>
      updateCourse(tx, ctx, course.id, { title: course.title, slug: course.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' }),
    );
    const again = await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    expect(again.status).toBe('active');
    expect(await seats(course.id)).toEqual({ seats_taken: 1, learners: 1 });

    await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, course.id, 'draft'));
    await expect(as(l, (tx, ctx) => markItemComplete(tx, ctx, item.id))).rejects.toMatchObject({ code: 'notEnrolled' });
  });
});

describe('video watching cannot be forged', () => {
  it('uses the length the author measured and never credits more than the clock allows', async () => {
    const course = await publishedCourse('Honest video');
    const mod = await as(instructor, (tx, ctx) => addModule(tx, ctx, course.id, { title: 'Only' }));
    const key = `t/${acme.tenant.id}/cd/cdef.webm`;
    await owner`insert into files (tenant_id, key, content_type, size, sha256) values (${acme.tenant.id}, ${key}, 'video/webm', 1000, 'cdef')`;
    const video = await as(instructor, (tx, ctx) => addItem(tx, ctx, mod.id, 'video', { title: 'Lecture', required: 'on', fileKey: key, filename: 'lecture.webm', durationSeconds: '100' }));
    expect(video.content).toMatchObject({ durationSeconds: 100 });
    const l = await addMember(acme.tenant, 'learner');
    await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    const t0 = Date.now();
    // A forged duration does not shrink the video.
    const forged = await as(l, (tx, ctx) => recordVideoWatch(tx, ctx, video.id, { duration: 1, ranges: [[0, 1]] }, new Date(t0)));
    expect(forged).toEqual({ watched: 0.01, completed: false });
    // Claiming the whole video a second later is more than the clock allows: ignored.
    const instant = await as(l, (tx, ctx) => recordVideoWatch(tx, ctx, video.id, { duration: 100, ranges: [[0, 100]] }, new Date(t0 + 1000)));
    expect(instant).toEqual({ watched: 0.01, completed: false });
    // A minute later (even at 2× speed) it is plausible, and completes the item.
    const real = await as(l, (tx, ctx) => recordVideoWatch(tx, ctx, video.id, { duration: 100, ranges: [[0, 100]] }, new Date(t0 + 60_000)));
    expect(real).toEqual({ watched: 1, completed: true });
    // Editing the item's title keeps the measured length.
    const edited = await as(instructor, (tx, ctx) => updateItem(tx, ctx, video.id, { title: 'Lecture 1', required: 'on', fileKey: key, filename: 'lecture.webm' }));
    expect(edited.content).toMatchObject({ durationSeconds: 100 });
  });
});

describe('leaving a course', () => {
  it('lets a learner leave (seat freed, progress gone) or withdraw a request, but not staff through this door', async () => {
    const course = await publishedCourse('Leavable', { capacity: '3' });
    const l = await addMember(acme.tenant, 'learner');
    await as(l, (tx, ctx) => selfEnrol(tx, ctx, course.id));
    await as(l, (tx, ctx) => leaveCourse(tx, ctx, course.id));
    const [row] = await owner`select seats_taken, (select count(*)::int from enrolments e where e.course_id = c.id and e.user_id = ${l.user.id}) as mine from courses c where id = ${course.id}`;
    expect(row).toMatchObject({ seats_taken: 0, mine: 0 });
    await expect(as(l, (tx, ctx) => leaveCourse(tx, ctx, course.id))).rejects.toMatchObject({ code: 'enrolmentNotFound' });
    await expect(as(instructor, (tx, ctx) => leaveCourse(tx, ctx, course.id))).rejects.toMatchObject({ code: 'enrolmentNotFound' });

    const approval = await publishedCourse('Withdrawable', { enrolmentMode: 'approval' });
    await as(l, (tx, ctx) => selfEnrol(tx, ctx, approval.id));
    await as(l, (tx, ctx) => leaveCourse(tx, ctx, approval.id));
    const [pending] = await owner`select count(*)::int as n from enrolments where course_id = ${approval.id} and status = 'pending'`;
    expect(pending!.n).toBe(0);
  });
});
