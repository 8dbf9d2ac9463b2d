import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { GET as feedGET } from '@/app/t/[tenant]/calendar/[feed]/route';
import type { MemberContext } from '@/lib/auth/context';
import { calendarView, dueSoon, groupByDay, UPCOMING_PAGE_SIZE } from '@/lib/calendar/due-items';
import { calendarFeedIcs, createFeed, feedStatus, LAST_USED_RESOLUTION_MS, revokeFeed } from '@/lib/calendar/feeds';
import { remindDueItems } from '@/lib/calendar/reminders';
import { cronEventName, JOBS } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run';

const remindersJob = JOBS.find((j) => j.id === 'due-date-reminders')!;
import { addMember, as, hostOf, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let acme: Org;
let globex: Org;
let ada: MemberContext; // the learner whose calendar we read
let ben: MemberContext; // another learner, in a course Ada is not in
let gia: MemberContext; // a learner of globex

/** A course with one module, straight in the database (authoring pages are tested elsewhere). */
async function course(org: Org, title: string, status: 'published' | 'draft' = 'published') {
  const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 6)}`;
  const [c] = await owner<{ id: string }[]>`insert into courses (tenant_id, slug, title, status, published_at) values (${org.tenant.id}, ${slug}, ${title}, ${status}, now()) returning id`;
  const [m] = await owner<{ id: string }[]>`insert into course_modules (tenant_id, course_id, title, position) values (${org.tenant.id}, ${c!.id}, 'Week 1', 0) returning id`;
  return { id: c!.id, slug, title, moduleId: m!.id, tenantId: org.tenant.id };
}
type C = Awaited<ReturnType<typeof course>>;

let position = 0;
async function item(c: C, kind: string, title: string, dueAt: Date | null) {
  const id = randomUUID();
  position += 1;
  await owner`insert into course_items (tenant_id, id, course_id, module_id, kind, title, position, content)
              values (${c.tenantId}, ${id}, ${c.id}, ${c.moduleId}, ${kind}, ${title}, ${position}, ${owner.json(dueAt ? { dueAt: dueAt.toISOString() } : {})})`;
  return id;
}

async function enrol(c: C, who: MemberContext, status: 'active' | 'pending' = 'active', role: 'learner' | 'ta' = 'learner') {
  const [e] = await owner<{ id: string }[]>`insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at) values (${c.tenantId}, ${c.id}, ${who.user.id}, ${role}, ${status}, now()) returning id`;
  return e!.id;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  ada = await addMember(acme.tenant, 'learner', { name: 'Ada' });
  ben = await addMember(acme.tenant, 'learner', { name: 'Ben' });
  gia = await addMember(globex.tenant, 'learner', { name: 'Gia' });
});

describe('due dates of a learner', () => {
  const now = new Date();
  const ids = {} as Record<'soon' | 'sooner' | 'completed' | 'attempted' | 'handedIn' | 'later' | 'past' | 'longAgo' | 'noDue' | 'lesson' | 'bens' | 'draft' | 'pending', string>;
  beforeAll(async () => {
    const physics = await course(acme, 'Physics');
    const chemistry = await course(acme, 'Chemistry'); // Ben only
    const draft = await course(acme, 'Draft course', 'draft');
    const waiting = await course(acme, 'Waiting list');
    const adaPhysics = await enrol(physics, ada);
    await enrol(physics, ben);
    await enrol(chemistry, ben);
    await enrol(draft, ada);
    await enrol(waiting, ada, 'pending');
    ids.soon = await item(physics, 'quiz', 'Quiz: forces', new Date(now.getTime() + 1 * DAY));
    ids.sooner = await item(physics, 'assignment', 'Lab report', new Date(now.getTime() + 2 * HOUR));
    ids.completed = await item(physics, 'quiz', 'Quiz: done already', new Date(now.getTime() + 2 * DAY));
    ids.attempted = await item(physics, 'quiz', 'Quiz: attempted', new Date(now.getTime() + 3 * DAY));
    ids.handedIn = await item(physics, 'assignment', 'Essay handed in', new Date(now.getTime() + 4 * DAY));
    ids.later = await item(physics, 'assignment', 'Term paper', new Date(now.getTime() + 8 * DAY));
    ids.past = await item(physics, 'quiz', 'Quiz: last week', new Date(now.getTime() - 3 * DAY));
    ids.longAgo = await item(physics, 'quiz', 'Quiz: long ago', new Date(now.getTime() - 30 * DAY));
    ids.noDue = await item(physics, 'quiz', 'Practice quiz', null);
    ids.lesson = await item(physics, 'lesson', 'A lesson with a stray dueAt', new Date(now.getTime() + 1 * DAY));
    ids.bens = await item(chemistry, 'quiz', 'Chemistry quiz', new Date(now.getTime() + 1 * DAY));
    ids.draft = await item(draft, 'quiz', 'Draft quiz', new Date(now.getTime() + 1 * DAY));
    ids.pending = await item(waiting, 'quiz', 'Waiting quiz', new Date(now.getTime() + 1 * DAY));
    await owner`update course_items set content = '{"dueAt": "not a date"}' where id = ${await item(physics, 'quiz', 'Broken', null)}`;
    await owner`insert into item_progress (tenant_id, enrolment_id, item_id, completed_at) values (${acme.tenant.id}, ${adaPhysics}, ${ids.completed}, now())`;
    await owner`insert into quiz_attempts (tenant_id, item_id, enrolment_id, number, status, layout, submitted_at) values (${acme.tenant.id}, ${ids.attempted}, ${adaPhysics}, 1, 'submitted', '[]', now())`;
    await owner`insert into assignment_submissions (tenant_id, item_id, enrolment_id, version, body_html) values (${acme.tenant.id}, ${ids.handedIn}, ${adaPhysics}, 1, '<p>x</p>')`;
  });

  it('"Due soon" lists what is due in the next 7 days and not yet handed in, soonest first, with links', async () => {
    const due = await as(ada, (tx, ctx) => dueSoon(tx, ctx, now));
    expect(due.map((d) => d.title)).toEqual(['Lab report', 'Quiz: forces']);
    expect(due[1]).toMatchObject({ itemId: ids.soon, kind: 'quiz', courseTitle: 'Physics', done: false, href: expect.stringMatching(new RegExp(`^/learn/physics-[a-z0-9]+/${ids.soon}$`)) });
    expect(due[1]!.dueAt.getTime()).toBe(now.getTime() + DAY);
  });

  it('an in-progress quiz attempt does not count as handed in', async () => {
    const enrolmentId = (await owner<{ id: string }[]>`select e.id from enrolments e join courses c on c.id = e.course_id where c.title = 'Physics' and e.user_id = ${ada.user.id}`)[0]!.id;
    await owner`insert into quiz_attempts (tenant_id, item_id, enrolment_id, number, status, layout) values (${acme.tenant.id}, ${ids.soon}, ${enrolmentId}, 1, 'in_progress', '[]')`;
    const due = await as(ada, (tx, ctx) => dueSoon(tx, ctx, now));
    expect(due.map((d) => d.itemId)).toContain(ids.soon);
  });

  it('never shows another learner\'s courses, drafts, pending enrolments or another organisation', async () => {
    const ben7 = await as(ben, (tx, ctx) => dueSoon(tx, ctx, now));
    expect(ben7.map((d) => d.title).sort()).toEqual(['Chemistry quiz', 'Lab report', 'Quiz: attempted', 'Quiz: done already', 'Quiz: forces', 'Essay handed in'].sort());
    const gia7 = await as(gia, (tx, ctx) => dueSoon(tx, ctx, now));
    expect(gia7).toEqual([]);
  });

  it('the calendar lists recently past due dates, then upcoming ones by day, done or not', async () => {
    const view = await as(ada, (tx, ctx) => calendarView(tx, ctx, { now }));
    expect(view.recent.map((d) => d.title)).toEqual(['Quiz: last week']);
    expect(view.upcoming.map((d) => d.title)).toEqual(['Lab report', 'Quiz: forces', 'Quiz: done already', 'Quiz: attempted', 'Essay handed in', 'Term paper']);
    expect(view.upcoming.find((d) => d.itemId === ids.completed)!.done).toBe(true);
    expect(view.upcoming.find((d) => d.itemId === ids.handedIn)!.done).toBe(true);
    expect(view.nextCursor).toBeNull();
    const groups = groupByDay(view.upcoming);
    expect(groups.map((g) => g.items.length).reduce((a, b) => a + b)).toBe(6);
    expect(new Set(groups.map((g) => g.day)).size).toBe(groups.length);
  });

  it('pages through many upcoming due dates with a cursor, without gaps or repeats', async () => {
    const many = await course(acme, 'Many deadlines');
    await enrol(many, ada);
    for (let i = 0; i < UPCOMING_PAGE_SIZE + 5; i += 1) await item(many, 'quiz', `Drill ${i}`, new Date(now.getTime() + 10 * DAY + (i % 7) * HOUR));
    const first = await as(ada, (tx, ctx) => calendarView(tx, ctx, { now }));
    expect(first.upcoming).toHaveLength(UPCOMING_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await as(ada, (tx, ctx) => calendarView(tx, ctx, { now, cursor: first.nextCursor }));
    expect(second.firstPage).toBe(false);
    expect(second.recent).toEqual([]);
    expect(second.nextCursor).toBeNull();
    const all = [...first.upcoming, ...second.upcoming];
    expect(all).toHaveLength(6 + UPCOMING_PAGE_SIZE + 5);
    expect(new Set(all.map((d) => d.itemId)).size).toBe(all.length);
    const times = all.map((d) => d.dueAt.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A forged cursor reads as the first page.
    const forged = await as(ada, (tx, ctx) => calendarView(tx, ctx, { now, cursor: "x' or 1=1 --" }));
    expect(forged.firstPage).toBe(true);
  });
});

/** GET /calendar/<token>.ics on a host, as the route handler receives it. */
async function fetchFeed(host: string, token: string) {
  const res = await feedGET(new Request(`http://${host}/calendar/${token}.ics`, { headers: { host } }), { params: Promise.resolve({ feed: `${token}.ics` }) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), cache: res.headers.get('cache-control') };
}

const tokenOf = (url: string) => /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(url)![1]!;

describe('private calendar feed', () => {
  let eva: MemberContext;
  let mine: string;
  let notMine: string;
  beforeAll(async () => {
    eva = await addMember(acme.tenant, 'learner', { name: 'Eva' });
    const history = await course(acme, 'History, Part 1; Ancient');
    const art = await course(acme, 'Art'); // Eva is not enrolled
    await enrol(history, eva);
    await enrol(art, ben);
    mine = await item(history, 'quiz', 'Quiz: Rome', new Date(Date.now() + 5 * DAY));
    await item(history, 'assignment', 'Essay: Greece', new Date(Date.now() + 6 * DAY));
    notMine = await item(art, 'quiz', 'Art quiz', new Date(Date.now() + 5 * DAY));
  });

  it('creates a secret URL on the organisation subdomain, keeping only its SHA-256', async () => {
    expect(await as(eva, (tx, ctx) => feedStatus(tx, ctx))).toBeNull();
    const { url, replaced } = await as(eva, (tx, ctx) => createFeed(tx, ctx));
    expect(replaced).toBe(false);
    expect(url).toMatch(/^http:\/\/acme\.localhost:3000\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const token = tokenOf(url);
    const rows = await owner<{ token_hash: string }[]>`select token_hash from calendar_feeds where user_id = ${eva.user.id}`;
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(await owner`select * from calendar_feeds`)).not.toContain(token);
    expect(await as(eva, (tx, ctx) => feedStatus(tx, ctx))).toMatchObject({ createdAt: expect.any(Date), lastUsedAt: null });
  });

  it('answers a valid calendar with one event per due item of the owner, and nobody else\'s', async () => {
    const { url } = await as(eva, (tx, ctx) => createFeed(tx, ctx));
    const res = await fetchFeed(hostOf('acme'), tokenOf(url));
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/calendar; charset=utf-8');
    expect(res.cache).toContain('no-store');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(2);
    expect(res.text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(lines).toContain(`UID:due-${mine}@lectern`);
    expect(res.text).not.toContain(notMine);
    expect(res.text).not.toContain('Art quiz');
    // Parse the events back: unfold continuation lines, then read the properties of each VEVENT.
    const unfolded = res.text.replace(/\r\n[ \t]/g, '');
    const events = [...unfolded.matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)END:VEVENT/g)].map((m) => Object.fromEntries(m[1]!.trim().split('\r\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)])));
    const rome = events.find((e) => e.UID === `due-${mine}@lectern`)!;
    const due = (await owner<{ due: string }[]>`select content->>'dueAt' as due from course_items where id = ${mine}`)[0]!.due;
    expect(rome.DTSTART).toBe(due.replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
    expect(rome.SUMMARY).toBe('Quiz: Rome due — History\\, Part 1\\; Ancient');
    expect(rome.URL).toMatch(new RegExp(`^http://acme\\.localhost:3000/learn/history-part-1-ancient-[a-z0-9]+/${mine}$`));
    // The UID is stable: a second fetch gives the same ids.
    const again = await fetchFeed(hostOf('acme'), tokenOf(url));
    expect(again.text.match(/^UID:.*$/gm)).toEqual(res.text.match(/^UID:.*$/gm));
  });

  it('records use at most every few minutes', async () => {
    const { url } = await as(eva, (tx, ctx) => createFeed(tx, ctx));
    const token = tokenOf(url);
    const t0 = new Date();
    const lastUsed = async () => (await owner<{ last_used_at: Date | null }[]>`select last_used_at from calendar_feeds where user_id = ${eva.user.id}`)[0]!.last_used_at;
    await withTenant(acme.tenant.id, (tx) => calendarFeedIcs(tx, acme.tenant, token, t0));
    expect((await lastUsed())!.getTime()).toBe(t0.getTime());
    await withTenant(acme.tenant.id, (tx) => calendarFeedIcs(tx, acme.tenant, token, new Date(t0.getTime() + 60_000)));
    expect((await lastUsed())!.getTime()).toBe(t0.getTime());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1000);
    await withTenant(acme.tenant.id, (tx) => calendarFeedIcs(tx, acme.tenant, token, later));
    expect((await lastUsed())!.getTime()).toBe(later.getTime());
  });

  it('regenerating ends the old URL; revoking ends the feed; unknown and malformed tokens are 404', async () => {
    const old = tokenOf((await as(eva, (tx, ctx) => createFeed(tx, ctx))).url);
    const fresh = await as(eva, (tx, ctx) => createFeed(tx, ctx));
    expect(fresh.replaced).toBe(true);
    expect((await fetchFeed(hostOf('acme'), old)).status).toBe(404);
    expect((await fetchFeed(hostOf('acme'), tokenOf(fresh.url))).status).toBe(200);
    expect(await as(eva, (tx, ctx) => revokeFeed(tx, ctx))).toEqual({ revoked: true });
    expect((await fetchFeed(hostOf('acme'), tokenOf(fresh.url))).status).toBe(404);
    expect(await as(eva, (tx, ctx) => revokeFeed(tx, ctx))).toEqual({ revoked: false });
    expect((await fetchFeed(hostOf('acme'), 'A'.repeat(43))).status).toBe(404);
    expect((await fetchFeed(hostOf('acme'), "x'; drop table calendar_feeds; --")).status).toBe(404);
    const bad = await feedGET(new Request(`http://${hostOf('acme')}/calendar/x`, { headers: { host: hostOf('acme') } }), { params: Promise.resolve({ feed: 'x' }) });
    expect(bad.status).toBe(404);
  });

  it("another organisation's token is 404 on this organisation's host, and works only on its own", async () => {
    const globexUrl = (await as(gia, (tx, ctx) => createFeed(tx, ctx))).url;
    expect(globexUrl).toMatch(/^http:\/\/globex\.localhost:3000\/calendar\//);
    const token = tokenOf(globexUrl);
    expect((await fetchFeed(hostOf('acme'), token)).status).toBe(404);
    expect((await fetchFeed('localhost:3000', token)).status).toBe(404); // the root domain has no feeds
    expect((await fetchFeed(hostOf('globex'), token)).status).toBe(200);
  });
});

describe('due-date reminders', () => {
  const now = new Date();
  let c: C;
  let other: C;
  let learnerA: MemberContext;
  let learnerB: MemberContext;
  const ids = {} as Record<'in2h' | 'in23h' | 'in25h' | 'past' | 'lonely' | 'globex', string>;

  function runCron(org: Org) {
    return withTenant(org.tenant.id, (tx) =>
      runJob(tx, remindersJob, org.tenant.id, { id: randomUUID(), name: cronEventName('due-date-reminders'), payload: { slot: new Date().toISOString() }, createdAt: new Date() }),
    );
  }
  const reminders = (itemId: string) => owner<{ user_id: string; dedupe_key: string; title: string; link: string }[]>`
    select user_id, dedupe_key, title, link from notifications where type = 'due-reminder' and dedupe_key like ${`due:${itemId}:%`} order by user_id, dedupe_key`;

  beforeAll(async () => {
    learnerA = await addMember(acme.tenant, 'learner', { name: 'Ann' });
    learnerB = await addMember(acme.tenant, 'learner', { name: 'Bob' });
    const ta = await addMember(acme.tenant, 'learner', { name: 'Tim TA' });
    const waiting = await addMember(acme.tenant, 'learner', { name: 'Wes Waiting' });
    c = await course(acme, 'Biology');
    other = await course(acme, 'Empty course');
    const eA = await enrol(c, learnerA);
    await enrol(c, learnerB);
    await enrol(c, ta, 'active', 'ta');
    await enrol(c, waiting, 'pending');
    ids.in2h = await item(c, 'quiz', 'Cells quiz', new Date(now.getTime() + 2 * HOUR));
    ids.in23h = await item(c, 'assignment', 'Lab notes', new Date(now.getTime() + 23 * HOUR));
    ids.in25h = await item(c, 'quiz', 'Next week quiz', new Date(now.getTime() + 25 * HOUR));
    ids.past = await item(c, 'quiz', 'Yesterday quiz', new Date(now.getTime() - 1 * HOUR));
    ids.lonely = await item(other, 'quiz', 'Nobody enrolled', new Date(now.getTime() + 3 * HOUR));
    await owner`insert into assignment_submissions (tenant_id, item_id, enrolment_id, version, body_html) values (${acme.tenant.id}, ${ids.in23h}, ${eA}, 1, '<p>done</p>')`;
    // Globex has one due item too, with a learner.
    const gc = await course(globex, 'Globex biology');
    await enrol(gc, gia);
    ids.globex = await item(gc, 'quiz', 'Globex quiz', new Date(now.getTime() + 2 * HOUR));
  });

  it('is exported as a cron job for the lead to register', () => {
    expect(remindersJob).toMatchObject({ id: 'due-date-reminders', trigger: { event: 'lectern/cron.due-date-reminders.v1', cron: '*/15 * * * *' }, retries: 3 });
  });

  it('reminds each active learner who has not handed in, about what is due within 24 hours, once', async () => {
    await runCron(acme);
    const in2h = await reminders(ids.in2h);
    const dueIso = (await owner<{ due: string }[]>`select content->>'dueAt' as due from course_items where id = ${ids.in2h}`)[0]!.due;
    expect(in2h.map((r) => r.user_id).sort()).toEqual([learnerA.user.id, learnerB.user.id].sort());
    expect(in2h[0]).toMatchObject({ dedupe_key: `due:${ids.in2h}:${dueIso}`, title: '“Cells quiz” is due within 24 hours — Biology', link: `/learn/${c.slug}/${ids.in2h}` });
    expect((await reminders(ids.in23h)).map((r) => r.user_id)).toEqual([learnerB.user.id]); // Ann handed it in
    expect(await reminders(ids.in25h)).toEqual([]);
    expect(await reminders(ids.past)).toEqual([]);
    expect(await reminders(ids.globex)).toEqual([]); // one organisation per run
    const mine = [ids.in2h, ids.in23h, ids.in25h, ids.past, ids.lonely];
    const sent = await owner<{ item_id: string; recipients: number }[]>`select item_id, recipients from due_reminders where item_id in ${owner(mine)}`;
    expect(Object.fromEntries(sent.map((s) => [s.item_id, s.recipients]))).toEqual({ [ids.in2h]: 2, [ids.in23h]: 1, [ids.lonely]: 0 });

    // Idempotent: the next tick (or a retry) sends nothing more.
    await runCron(acme);
    await withTenant(acme.tenant.id, (tx) => remindDueItems(tx, acme.tenant.id, now)).then((r) => expect(r).toEqual({ items: 0, notices: 0 }));
    expect(await reminders(ids.in2h)).toHaveLength(2);
    expect(await owner`select 1 from due_reminders where item_id in ${owner(mine)}`).toHaveLength(3);
  });

  it('reminds again, once, when a due date moves; and the window follows the clock', async () => {
    const moved = new Date(now.getTime() + 5 * HOUR);
    await owner`update course_items set content = ${owner.json({ dueAt: moved.toISOString() })} where id = ${ids.in2h}`;
    await runCron(acme);
    await runCron(acme);
    const rows = await reminders(ids.in2h);
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.dedupe_key === `due:${ids.in2h}:${moved.toISOString()}`)).toHaveLength(2);
    // 25 hours due: outside the window now, inside it two hours from now.
    expect((await withTenant(acme.tenant.id, (tx) => remindDueItems(tx, acme.tenant.id, new Date(now.getTime() + 2 * HOUR)))).items).toBe(1);
    expect((await reminders(ids.in25h)).map((r) => r.user_id).sort()).toEqual([learnerA.user.id, learnerB.user.id].sort());
  });

  it('runs for another organisation on its own', async () => {
    await runCron(globex);
    expect((await reminders(ids.globex)).map((r) => r.user_id)).toEqual([gia.user.id]);
  });
});
