import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withTenant } from '@/db/client';
import { fanOutBatch, fanOutSubject } from '@/lib/announcements/fan-out';
import { courseAnnouncements, deleteAnnouncement, postAnnouncement } from '@/lib/announcements/service';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, type Course } from '@/lib/courses/service';
import { enrolMembers } from '@/lib/enrolment/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { JOBS } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run';
import { drainOnce } from '@/lib/jobs/worker';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
const fanOutJob = JOBS.find((j) => j.id === 'fan-out-announcement')!;
afterAll(() => owner.end());

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let ta: MemberContext;
let outsider: MemberContext; // a member of acme, not enrolled
let pendingLearner: MemberContext;
const learners: MemberContext[] = [];
let course: Course;

async function publishedCourse(by: MemberContext, title: string): Promise<Course> {
  const c = await as(by, (tx, ctx) => createCourse(tx, ctx, { title }));
  await owner`update courses set status = 'published', published_at = now() where id = ${c.id}`;
  return { ...c, status: 'published' };
}

async function noticesFor(announcementId: string) {
  return owner<{ user_id: string; type: string; title: string; body: string; link: string }[]>`
    select user_id, type, title, body, link from notifications where dedupe_key = ${`announcement:${announcementId}`} order by user_id`;
}

async function announcementRow(id: string) {
  const [row] = await owner<{ recipients: number; fanned_out_at: Date | null; body_html: string }[]>`select recipients, fanned_out_at, body_html from announcements where id = ${id}`;
  return row;
}

/** The job's handler as an executor runs it: in the organisation's transaction, with the posted event. */
function runHandler(announcementId: string, courseId: string) {
  return withTenant(acme.tenant.id, (tx) =>
    runJob(tx, fanOutJob, acme.tenant.id, { id: randomUUID(), name: 'lectern/announcement.posted.v1', payload: { announcementId, courseId }, createdAt: new Date() }),
  );
}

const post = (who: MemberContext, courseId: string, title = 'Week 2 is open', bodyHtml = '<p>Read chapter 3 before Monday.</p>') =>
  as(who, (tx, ctx) => postAnnouncement(tx, ctx, courseId, { title, bodyHtml }));

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  ta = await addMember(acme.tenant, 'learner', { name: 'Tess TA' });
  outsider = await addMember(acme.tenant, 'learner', { name: 'Otto Outsider' });
  pendingLearner = await addMember(acme.tenant, 'learner', { name: 'Pat Pending' });
  for (const name of ['Ada', 'Brook', 'Carl']) learners.push(await addMember(acme.tenant, 'learner', { name }));
  course = await publishedCourse(instructor, 'Astronomy');
  await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }, ...learners.map((l) => ({ email: l.user.email, role: 'learner' as const }))]));
  await owner`insert into enrolments (tenant_id, course_id, user_id, role, status) values (${acme.tenant.id}, ${course.id}, ${pendingLearner.user.id}, 'learner', 'pending')`;
  await drainOnce(); // the set-up's own events (enrolment mails, …)
});

describe('posting', () => {
  it('writes the row and the posted event in one transaction, sanitised, and notifies nobody yet', async () => {
    const a = await post(instructor, course.id, 'Welcome', '<p onclick="steal()">Hello <strong>class</strong></p><script>alert(1)</script><a href="javascript:alert(1)">x</a>');
    const row = await announcementRow(a.id);
    expect(row!.body_html).toBe('<p>Hello <strong>class</strong></p><a>x</a>');
    expect(row!.fanned_out_at).toBeNull();
    const events = await owner<{ payload: unknown; sent_at: Date | null }[]>`select payload, sent_at from outbox where name = 'lectern/announcement.posted.v1' and payload->>'announcementId' = ${a.id}`;
    expect(events).toEqual([{ payload: { announcementId: a.id, courseId: course.id }, sent_at: null }]);
    expect(await noticesFor(a.id)).toEqual([]);
  });

  it('does not keep the row when the transaction fails after posting (no event without its row, nor the reverse)', async () => {
    const title = `Rolled back ${randomUUID()}`;
    await expect(
      withTenant(acme.tenant.id, async (tx) => {
        await postAnnouncement(tx, instructor, course.id, { title, bodyHtml: '<p>x</p>' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await owner`select 1 from announcements where title = ${title}`).toHaveLength(0);
    expect(await owner`select 1 from outbox o where name = 'lectern/announcement.posted.v1' and not exists (select 1 from announcements a where a.id = (o.payload->>'announcementId')::uuid)`).toHaveLength(0);
  });

  it('lets the course TA post, and refuses learners, non-enrolled members and other organisations', async () => {
    await expect(post(ta, course.id)).resolves.toMatchObject({ courseId: course.id });
    await expect(post(learners[0]!, course.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(post(outsider, course.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(post(globex.owner, course.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('needs a title and a message that says something once sanitised', async () => {
    await expect(post(instructor, course.id, '  ')).rejects.toBeInstanceOf(z.ZodError);
    const empty = post(instructor, course.id, 'Only a script', '<script>alert(1)</script>');
    await expect(empty).rejects.toBeInstanceOf(z.ZodError);
    await expect(empty).rejects.toThrow('Write a message.');
  });
});

describe('reading and deleting', () => {
  let other: Course;
  beforeAll(async () => {
    other = await publishedCourse(instructor, 'Geology');
    for (let i = 1; i <= 12; i += 1) await post(instructor, other.id, `Note ${String(i).padStart(2, '0')}`);
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, other.id, [{ email: learners[0]!.user.email, role: 'learner' }]));
  });

  it('shows learners the course announcements newest first, a page at a time, without delivery details', async () => {
    const page1 = await as(learners[0]!, (tx, ctx) => courseAnnouncements(tx, ctx, other.slug, { page: 1 }));
    expect(page1.canManage).toBe(false);
    expect(page1.total).toBe(12);
    expect(page1.rows.map((r) => r.title)).toEqual(['Note 12', 'Note 11', 'Note 10', 'Note 09', 'Note 08', 'Note 07', 'Note 06', 'Note 05', 'Note 04', 'Note 03']);
    expect(page1.rows[0]).not.toHaveProperty('recipients');
    const page2 = await as(learners[0]!, (tx, ctx) => courseAnnouncements(tx, ctx, other.slug, { page: 2 }));
    expect(page2.rows.map((r) => r.title)).toEqual(['Note 02', 'Note 01']);
    const staff = await as(instructor, (tx, ctx) => courseAnnouncements(tx, ctx, other.slug, { page: 1 }));
    expect(staff.canManage).toBe(true);
    expect(staff.rows[0]).toMatchObject({ recipients: 0, fannedOutAt: null, authorName: instructor.user.name });
  });

  it('shows nothing to a member who is not enrolled (or only pending) nor to another organisation', async () => {
    await expect(as(outsider, (tx, ctx) => courseAnnouncements(tx, ctx, other.slug, { page: 1 }))).rejects.toMatchObject({ code: 'notEnrolled' });
    await expect(as(pendingLearner, (tx, ctx) => courseAnnouncements(tx, ctx, course.slug, { page: 1 }))).rejects.toMatchObject({ code: 'notEnrolled' });
    await expect(as(globex.owner, (tx, ctx) => courseAnnouncements(tx, ctx, other.slug, { page: 1 }))).rejects.toBeInstanceOf(NotFoundError);
    // Another organisation's own courses do not list acme's rows either (RLS).
    const globexCourse = await publishedCourse(globex.owner, 'Globex news');
    const list = await as(globex.owner, (tx, ctx) => courseAnnouncements(tx, ctx, globexCourse.slug, { page: 1 }));
    expect(list.total).toBe(0);
  });

  it('lets staff delete (once), and refuses learners; another organisation cannot touch it', async () => {
    const a = await post(instructor, other.id, 'Typo');
    await expect(as(learners[0]!, (tx, ctx) => deleteAnnouncement(tx, ctx, a.id))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(globex.owner, (tx, ctx) => deleteAnnouncement(tx, ctx, a.id))).resolves.toEqual({ deleted: false });
    expect(await announcementRow(a.id)).toBeDefined();
    await expect(as(instructor, (tx, ctx) => deleteAnnouncement(tx, ctx, a.id))).resolves.toEqual({ deleted: true });
    await expect(as(instructor, (tx, ctx) => deleteAnnouncement(tx, ctx, a.id))).resolves.toEqual({ deleted: false });
    expect(await announcementRow(a.id)).toBeUndefined();
  });
});

describe('fan-out', () => {
  it('is registered for the posted event', () => {
    expect(JOBS.find((j) => j.id === 'fan-out-announcement')).toMatchObject({ trigger: { event: 'lectern/announcement.posted.v1' } });
  });

  it('notifies each active learner once through the worker (not staff, not pending), then records the count', async () => {
    const a = await post(instructor, course.id, 'Telescope night');
    await drainOnce();
    const notices = await noticesFor(a.id);
    expect(notices.map((n) => n.user_id).sort()).toEqual(learners.map((l) => l.user.id).sort());
    expect(notices[0]).toMatchObject({ type: 'announcement', title: 'Astronomy: Telescope night', body: 'Read chapter 3 before Monday.', link: `/learn/${course.slug}/announcements` });
    const row = await announcementRow(a.id);
    expect(row).toMatchObject({ recipients: 3, fanned_out_at: expect.any(Date) });

    // A redelivered event or a second run adds nothing and keeps the count.
    await runHandler(a.id, course.id);
    await drainOnce();
    expect(await noticesFor(a.id)).toHaveLength(3);
    expect((await announcementRow(a.id))!.recipients).toBe(3);
  });

  it('re-running a batch (or resuming after a crash mid-way) neither duplicates nor skips anyone', async () => {
    const a = await post(instructor, course.id, 'Clouds tonight');
    const subject = (await withTenant(acme.tenant.id, (tx) => fanOutSubject(tx, a.id)))!;
    // Batches of two: the first batch commits on its own, as a step would, then the run "crashes".
    const first = await withTenant(acme.tenant.id, (tx) => fanOutBatch(tx, acme.tenant.id, subject, null, 2));
    expect(first).toMatchObject({ learners: 2, created: 2 });
    expect(first.next).not.toBeNull();
    const again = await withTenant(acme.tenant.id, (tx) => fanOutBatch(tx, acme.tenant.id, subject, null, 2));
    expect(again).toEqual({ learners: 2, created: 0, next: first.next });
    const second = await withTenant(acme.tenant.id, (tx) => fanOutBatch(tx, acme.tenant.id, subject, first.next, 2));
    expect(second).toMatchObject({ learners: 1, created: 1, next: null });
    expect(await noticesFor(a.id)).toHaveLength(3);

    // A run whose transaction fails leaves nothing (not even the count); the retry completes.
    const b = await post(instructor, course.id, 'Eclipse');
    await expect(
      withTenant(acme.tenant.id, async (tx) => {
        await runJob(tx, fanOutJob, acme.tenant.id, { id: randomUUID(), name: 'lectern/announcement.posted.v1', payload: { announcementId: b.id, courseId: course.id }, createdAt: new Date() });
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect(await noticesFor(b.id)).toHaveLength(0);
    expect((await announcementRow(b.id))!.fanned_out_at).toBeNull();
    await runHandler(b.id, course.id);
    expect(await noticesFor(b.id)).toHaveLength(3);
    expect((await announcementRow(b.id))!.recipients).toBe(3);
    await drainOnce(); // the queued events of these posts: nothing new
    expect(await noticesFor(a.id)).toHaveLength(3);
    expect(await noticesFor(b.id)).toHaveLength(3);
  });

  it('sends nothing for an announcement deleted before its fan-out ran', async () => {
    const a = await post(instructor, course.id, 'Never mind');
    await as(instructor, (tx, ctx) => deleteAnnouncement(tx, ctx, a.id));
    await drainOnce();
    expect(await noticesFor(a.id)).toHaveLength(0);
    const [event] = await owner<{ sent_at: Date | null }[]>`select sent_at from outbox where payload->>'announcementId' = ${a.id}`;
    expect(event!.sent_at).not.toBeNull(); // done, not retried forever
  });

  it('fans out to 3,000 learners in batches without holding up the post', async () => {
    const big = await publishedCourse(instructor, 'Massive open course');
    const n = 3000;
    const tag = randomUUID().slice(0, 8);
    // Learners made set-based: users, memberships and active enrolments in three statements.
    await owner`insert into users (name, email) select 'Learner ' || g, ${tag} || '-' || g || '@big.test' from generate_series(1, ${n}) g`;
    await owner`insert into memberships (tenant_id, user_id, role) select ${acme.tenant.id}, id, 'learner' from users where email like ${`${tag}-%`}`;
    await owner`insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at)
                select ${acme.tenant.id}, ${big.id}, id, 'learner', 'active', now() from users where email like ${`${tag}-%`}`;

    const started = performance.now();
    const a = await post(instructor, big.id, 'Hello everyone');
    expect(performance.now() - started).toBeLessThan(1000); // the post itself does no per-learner work
    expect(await noticesFor(a.id)).toHaveLength(0);

    await drainOnce();
    const [counts] = await owner<{ total: number; people: number }[]>`
      select count(*)::int as total, count(distinct user_id)::int as people from notifications where dedupe_key = ${`announcement:${a.id}`}`;
    expect(counts).toEqual({ total: n, people: n });
    expect(await announcementRow(a.id)).toMatchObject({ recipients: n, fanned_out_at: expect.any(Date) });

    await runHandler(a.id, big.id);
    const [after] = await owner<{ total: number }[]>`select count(*)::int as total from notifications where dedupe_key = ${`announcement:${a.id}`}`;
    expect(after!.total).toBe(n);
  });
});
