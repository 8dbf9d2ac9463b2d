import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { createCourse, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { selfEnrol } from '@/lib/enrolment/service';
import { drainOnce } from '@/lib/jobs/worker';
import { logger } from '@/lib/log';
import { sendDailyDigest } from '@/lib/notifications/digest';
import { JOBS } from '@/lib/jobs/registry';
import { NotificationError } from '@/lib/notifications/errors';
import { listNotices, markAllNoticesRead, markNoticeRead, unreadCount, UNREAD_COUNT_CAP } from '@/lib/notifications/inbox';
import { listPreferences, savePreferences } from '@/lib/notifications/preferences';
import { notify, type NewNotification } from '@/lib/notifications/service';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { handlerContext } from '../support/jobs';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

let acme: Org;
let globex: Org;

function notice(userId: string, key: string, extra: Partial<NewNotification> = {}): NewNotification {
  return { userId, type: 'announcement', title: `Notice ${key}`, body: `Body of ${key}`, link: '/learn', dedupeKey: key, ...extra };
}

function send(org: Org, items: NewNotification[]): Promise<number> {
  return withTenant(org.tenant.id, (tx) => notify(tx, org.tenant.id, items));
}

async function mailsTo(email: string) {
  return owner<{ subject: string; text: string; html: string | null; status: string }[]>`
    select subject, text, html, status from emails where "to" = ${email} order by created_at, id`;
}

async function noticeRows(userId: string) {
  return owner<{ id: string; type: string; dedupe_key: string; email_mode: string; emailed_at: Date | null; read_at: Date | null; link: string | null }[]>`
    select id, type, dedupe_key, email_mode, emailed_at, read_at, link from notifications where user_id = ${userId} order by created_at, dedupe_key`;
}

async function expectNotificationError(p: Promise<unknown>, code: string, status?: number) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NotificationError);
  expect((e as NotificationError).code).toBe(code);
  if (status) expect((e as NotificationError).status).toBe(status);
  return e as NotificationError;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
});

describe('the bell: unread count, list, mark read', () => {
  let ada: MemberContext;
  let ben: MemberContext;

  beforeAll(async () => {
    ada = await addMember(acme.tenant, 'learner', { name: 'Ada' });
    ben = await addMember(acme.tenant, 'learner', { name: 'Ben' });
  });

  it('counts only the member’s own unread notices, and caps the count', async () => {
    expect(await as(ada, unreadCount)).toBe(0);
    await send(acme, [notice(ada.user.id, 'a1'), notice(ada.user.id, 'a2'), notice(ada.user.id, 'a3'), notice(ben.user.id, 'b1')]);
    expect(await as(ada, unreadCount)).toBe(3);
    expect(await as(ben, unreadCount)).toBe(1);

    const many = await addMember(acme.tenant, 'learner');
    await send(
      acme,
      Array.from({ length: UNREAD_COUNT_CAP + 20 }, (_, i) => notice(many.user.id, `m${i}`)),
    );
    expect(await as(many, unreadCount)).toBe(UNREAD_COUNT_CAP);
  });

  it('is idempotent on (member, dedupe key): the same cause twice is one notice', async () => {
    expect(await send(acme, [notice(ada.user.id, 'a1'), notice(ada.user.id, 'a1')])).toBe(0);
    expect(await as(ada, unreadCount)).toBe(3);
  });

  it('marks one notice read (again is harmless), then all of them', async () => {
    const { items } = await as(ada, (tx, ctx) => listNotices(tx, ctx));
    const first = items.find((n) => n.title === 'Notice a2')!;
    expect(first.read).toBe(false);
    await as(ada, (tx, ctx) => markNoticeRead(tx, ctx, first.id));
    await as(ada, (tx, ctx) => markNoticeRead(tx, ctx, first.id));
    expect(await as(ada, unreadCount)).toBe(2);
    const after = await as(ada, (tx, ctx) => listNotices(tx, ctx));
    expect(after.items.find((n) => n.id === first.id)!.read).toBe(true);

    expect(await as(ada, markAllNoticesRead)).toBe(2);
    expect(await as(ada, unreadCount)).toBe(0);
    expect(await as(ada, markAllNoticesRead)).toBe(0);
    expect(await as(ben, unreadCount)).toBe(1); // Ben's are his own
  });

  it('another member, or a member of another organisation, can neither read nor mark your notices', async () => {
    await send(acme, [notice(ada.user.id, 'secret', { title: 'Only for Ada' })]);
    const [mine] = (await noticeRows(ada.user.id)).filter((r) => r.dedupe_key === 'secret');

    const bensList = await as(ben, (tx, ctx) => listNotices(tx, ctx, { limit: 100 }));
    expect(bensList.items.map((n) => n.title)).not.toContain('Only for Ada');
    await expectNotificationError(
      as(ben, (tx, ctx) => markNoticeRead(tx, ctx, mine!.id)),
      'notFound',
      404,
    );
    await as(ben, markAllNoticesRead);

    // Same person, other organisation: their globex membership sees nothing of acme's.
    const adaAtGlobex = await addMember(globex.tenant, 'learner', { email: ada.user.email });
    expect(await as(adaAtGlobex, unreadCount)).toBe(0);
    expect((await as(adaAtGlobex, (tx, ctx) => listNotices(tx, ctx))).items).toEqual([]);
    await expectNotificationError(
      as(adaAtGlobex, (tx, ctx) => markNoticeRead(tx, ctx, mine!.id)),
      'notFound',
    );
    await as(adaAtGlobex, markAllNoticesRead);
    // A cursor from another organisation gives nothing either.
    expect((await as(adaAtGlobex, (tx, ctx) => listNotices(tx, ctx, { before: mine!.id }))).items).toEqual([]);

    const [still] = (await noticeRows(ada.user.id)).filter((r) => r.dedupe_key === 'secret');
    expect(still!.read_at).toBeNull();
    expect(await as(ada, unreadCount)).toBe(1);
    await expectNotificationError(
      as(ada, (tx, ctx) => markNoticeRead(tx, ctx, 'not-a-uuid')),
      'notFound',
    );
  });

  it('pages through every notice newest first with a keyset cursor, ties on time included', async () => {
    const cara = await addMember(acme.tenant, 'learner');
    // 45 notices in one statement share created_at: the id breaks the tie.
    await send(
      acme,
      Array.from({ length: 45 }, (_, i) => notice(cara.user.id, `p${String(i).padStart(2, '0')}`)),
    );
    // Spread some over time too.
    await owner`update notifications set created_at = created_at - (interval '1 minute' * (substring(dedupe_key from 2)::int % 7))
                where user_id = ${cara.user.id}`;
    const expected = await owner<{ id: string }[]>`
      select id from notifications where user_id = ${cara.user.id} order by created_at desc, id desc`;

    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page: Awaited<ReturnType<typeof listNotices>> = await as(cara, (tx, ctx) => listNotices(tx, ctx, { before: cursor, limit: 20 }));
      sizes.push(page.items.length);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('keeps only links to paths on the organisation’s own site', async () => {
    const dan = await addMember(acme.tenant, 'learner');
    await send(acme, [
      notice(dan.user.id, 'ok', { link: '/learn/course-a' }),
      notice(dan.user.id, 'abs', { link: 'https://evil.example/phish' }),
      notice(dan.user.id, 'proto', { link: '//evil.example' }),
      notice(dan.user.id, 'js', { link: 'javascript:alert(1)' }),
    ]);
    const rows = await noticeRows(dan.user.id);
    expect(Object.fromEntries(rows.map((r) => [r.dedupe_key, r.link]))).toEqual({ ok: '/learn/course-a', abs: null, proto: null, js: null });
  });

  it('skips recipients who are not members (a learner who left mid fan-out) instead of failing the batch', async () => {
    const eve = await addMember(acme.tenant, 'learner');
    const outsider = await addMember(globex.tenant, 'learner');
    expect(await send(acme, [notice(eve.user.id, 'x'), notice(outsider.user.id, 'x')])).toBe(1);
  });
});

describe('preferences', () => {
  let fay: MemberContext;
  beforeAll(async () => {
    fay = await addMember(acme.tenant, 'learner');
  });

  it('lists every type with its default until the member chooses', async () => {
    const prefs = await as(fay, listPreferences);
    expect(prefs.map((p) => p.type)).toEqual(['enrolled', 'announcement', 'due-reminder', 'certificate-issued']);
    expect(prefs.every((p) => p.mode === p.defaultMode)).toBe(true);
  });

  it('refuses an unknown type or mode whole, naming it, and writes nothing', async () => {
    const e = await expectNotificationError(
      as(fay, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'off', 'made-up': 'off' })),
      'unknownType',
      422,
    );
    expect(e.message).toContain('“made-up” is not a kind of notification');
    expect(e.field).toBe('email:made-up');
    await expectNotificationError(
      as(fay, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'weekly' })),
      'unknownMode',
    );
    await expectNotificationError(
      as(fay, (tx, ctx) => savePreferences(tx, ctx, {})),
      'nothingToSave',
    );
    expect((await as(fay, listPreferences)).find((p) => p.type === 'announcement')!.mode).toBe('immediately');
  });

  it('saves what changed, and only that', async () => {
    const r = await as(fay, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'digest', enrolled: 'immediately', 'due-reminder': 'off' }));
    expect(r.changed.sort()).toEqual(['announcement', 'due-reminder']);
    const prefs = Object.fromEntries((await as(fay, listPreferences)).map((p) => [p.type, p.mode]));
    expect(prefs).toMatchObject({ announcement: 'digest', enrolled: 'immediately', 'due-reminder': 'off' });
    expect((await as(fay, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'digest' }))).changed).toEqual([]);
    // Another member's preferences are their own.
    const gus = await addMember(acme.tenant, 'learner');
    expect((await as(gus, listPreferences)).find((p) => p.type === 'announcement')!.mode).toBe('immediately');
  });
});

describe('notify() and mail', () => {
  it('mails at once, keeps for the digest, or mails nothing, per the member’s preference; the notice is always kept', async () => {
    const hal = await addMember(acme.tenant, 'learner', { name: 'Hal <b>Jordan</b>' });
    await as(hal, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'off', 'due-reminder': 'digest' }));
    await send(acme, [
      notice(hal.user.id, 'cert', { type: 'certificate-issued', title: 'Your certificate for <Safety> & more', body: 'Well done.', link: '/learn' }),
      notice(hal.user.id, 'ann', { type: 'announcement' }),
      notice(hal.user.id, 'due', { type: 'due-reminder' }),
    ]);
    const rows = Object.fromEntries((await noticeRows(hal.user.id)).map((r) => [r.dedupe_key, r]));
    expect(rows.cert).toMatchObject({ email_mode: 'immediately', emailed_at: expect.any(Date) });
    expect(rows.ann).toMatchObject({ email_mode: 'off', emailed_at: null });
    expect(rows.due).toMatchObject({ email_mode: 'digest', emailed_at: null });
    expect(await as(hal, unreadCount)).toBe(3);

    const mails = await mailsTo(hal.user.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toMatchObject({ subject: 'Your certificate for <Safety> & more', status: 'captured' });
    expect(mail!.text).toContain('Hello Hal <b>Jordan</b>,');
    expect(mail!.text).toContain('Open in Acme: http://acme.localhost:3000/learn');
    expect(mail!.text).toContain('http://acme.localhost:3000/account/notifications');
    // The HTML part is branded and every interpolated value escaped.
    expect(mail!.html).toContain('Acme');
    expect(mail!.html).toContain('Hello Hal &lt;b&gt;Jordan&lt;/b&gt;,');
    expect(mail!.html).toContain('Your certificate for &lt;Safety&gt; &amp; more');
    expect(mail!.html).not.toContain('<b>Jordan');
    expect(mail!.html).toContain('background:#4f46e5'); // the organisation's primary colour

    // Redelivery: nothing new, no second mail.
    expect(await send(acme, [notice(hal.user.id, 'cert', { type: 'certificate-issued' })])).toBe(0);
    expect(await mailsTo(hal.user.email)).toHaveLength(1);
  });

  it('the enrolment notice goes through notify(): in the bell, mailed, and silent by mail when turned off', async () => {
    const instructor = await addMember(acme.tenant, 'instructor');
    const c: Course = await as(instructor, (tx, ctx) => createCourse(tx, ctx, { title: 'Knots' }));
    await as(instructor, (tx, ctx) =>
      updateCourse(tx, ctx, c.id, { title: 'Knots', slug: c.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
    );
    await as(instructor, (tx, ctx) => setCourseStatus(tx, ctx, c.id, 'published'));
    const [ivy, jon] = [await addMember(acme.tenant, 'learner'), await addMember(acme.tenant, 'learner')];
    await as(jon, (tx, ctx) => savePreferences(tx, ctx, { enrolled: 'off' }));
    await drainOnce();
    for (const l of [ivy, jon]) await as(l, (tx, ctx) => selfEnrol(tx, ctx, c.id));
    await drainOnce();
    await drainOnce();

    for (const l of [ivy, jon]) {
      const { items } = await as(l, (tx, ctx) => listNotices(tx, ctx));
      expect(items).toEqual([expect.objectContaining({ type: 'enrolled', title: 'You are enrolled in Knots', link: `/learn/${c.slug}`, read: false })]);
    }
    expect((await mailsTo(ivy.user.email)).map((m) => m.subject)).toEqual(['You are enrolled in Knots']);
    expect(await mailsTo(jon.user.email)).toEqual([]);
  });

  it('notifies 10,000 learners in batches of 1,000 with a few statements per batch', async () => {
    const n = 10_000;
    const people = await owner<{ id: string }[]>`
      insert into users (name, email) select 'Bulk ' || g, 'bulk' || g || '@acme.test' from generate_series(1, ${n}) g returning id`;
    await owner`insert into memberships (tenant_id, user_id, role) select ${acme.tenant.id}, id, 'learner' from users where email like 'bulk%@acme.test'`;
    // A fifth prefer the digest: they get a notice but no mail now.
    await owner`insert into notification_preferences (tenant_id, user_id, type, email_mode)
                select ${acme.tenant.id}, id, 'announcement', 'digest' from users where email like 'bulk%@acme.test' and (split_part(substring(email from 5), '@', 1)::int % 5) = 0`;
    const items = people.map((p) => notice(p.id, 'bulk-announcement', { title: 'Campus closed on Friday', body: 'All sessions move online.' }));

    const started = performance.now();
    let created = 0;
    for (let i = 0; i < items.length; i += 1000) created += await send(acme, items.slice(i, i + 1000));
    const ms = performance.now() - started;
    logger.info({ ms }, 'notify 10k');
    console.info(`notify(): ${n} notices (${n * 0.8} mails) in 10 batches of 1,000 took ${Math.round(ms)} ms`);

    expect(created).toBe(n);
    const [counts] = await owner<{ notices: number; mails: number }[]>`
      select (select count(*)::int from notifications where dedupe_key = 'bulk-announcement') as notices,
             (select count(*)::int from emails where subject = 'Campus closed on Friday') as mails`;
    expect(counts).toEqual({ notices: n, mails: n * 0.8 });
    // Set-based: a per-row round trip would take far longer than this on any machine.
    expect(ms).toBeLessThan(30_000);

    // With 10,000+ rows the bell's queries use their indexes (plans read as the owner: same shape).
    await owner`analyze notifications`;
    const plan = async (q: string) => (await owner.unsafe(`explain ${q}`, [acme.tenant.id, people[0]!.id])).map((r) => Object.values(r)[0]).join('\n');
    expect(await plan(`select count(*) from (select 1 from notifications where tenant_id = $1 and user_id = $2 and read_at is null limit 100) s`)).toContain('notifications_unread_idx');
    expect(await plan(`select id from notifications where tenant_id = $1 and user_id = $2 order by created_at desc, id desc limit 21`)).toContain('notifications_user_recent_idx');
  });
});

describe('the daily digest', () => {
  function digestRun(org: Org, slot: string) {
    return withTenant(org.tenant.id, (tx) =>
      sendDailyDigest(handlerContext(tx, org.tenant.id, { name: 'lectern/cron.daily-digest.v1', payload: { slot } })),
    );
  }

  it('sends one mail per member listing their pending notices, marks them emailed, and does nothing the second time', async () => {
    const [kim, lee, max] = [await addMember(acme.tenant, 'learner', { name: 'Kim' }), await addMember(acme.tenant, 'learner', { name: 'Lee' }), await addMember(acme.tenant, 'learner')];
    for (const m of [kim, lee, max]) await as(m, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'digest', 'due-reminder': 'digest' }));
    await send(acme, [
      notice(kim.user.id, 'k1', { title: 'Room change' }),
      notice(kim.user.id, 'k2', { type: 'due-reminder', title: 'Essay due tomorrow', link: '/learn/essays' }),
      notice(lee.user.id, 'l1', { title: 'Guest lecture' }),
    ]);
    await as(max, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'immediately' }));
    await send(acme, [notice(max.user.id, 'm1')]); // mailed at once: not in any digest

    const slot = new Date(Date.now() + 1000).toISOString();
    // A notice made after the slot waits for the next digest.
    await send(acme, [notice(lee.user.id, 'late', { title: 'Too late for this one' })]);
    await owner`update notifications set created_at = ${slot}::timestamptz + interval '1 hour' where dedupe_key = 'late' and user_id = ${lee.user.id}`;

    // Earlier tests left digest notices for others (the 2,000 bulk learners among them): they go out too.
    expect(await digestRun(acme, slot)).toBeGreaterThanOrEqual(2);
    const kimMail = await mailsTo(kim.user.email);
    expect(kimMail).toHaveLength(1);
    expect(kimMail[0]!.subject).toBe('2 new notifications at Acme');
    expect(kimMail[0]!.text).toContain('- Room change');
    expect(kimMail[0]!.text).toContain('- Essay due tomorrow');
    expect(kimMail[0]!.text).toContain('http://acme.localhost:3000/learn/essays');
    expect(kimMail[0]!.html).toContain('Essay due tomorrow');
    const leeMail = await mailsTo(lee.user.email);
    expect(leeMail.map((m) => m.subject)).toEqual(['1 new notification at Acme']);
    expect(leeMail[0]!.text).not.toContain('Too late');
    expect((await mailsTo(max.user.email)).map((m) => m.subject)).toEqual(['Notice m1']);
    const kimRows = await noticeRows(kim.user.id);
    expect(kimRows.every((r) => r.emailed_at !== null)).toBe(true);
    expect(kimRows.every((r) => r.read_at === null)).toBe(true); // mailing is not reading

    // The same slot again (a retry, a second instance): nothing more.
    expect(await digestRun(acme, slot)).toBe(0);
    expect(await mailsTo(kim.user.email)).toHaveLength(1);
    // Two runs at once for a new slot: one digest per member between them.
    await send(acme, [notice(kim.user.id, 'k3', { title: 'Another' })]);
    const next = new Date(Date.now() + 1000).toISOString();
    const both = await Promise.all([digestRun(acme, next), digestRun(acme, next)]);
    expect(both.sort()).toEqual([0, 1]);
    expect(await mailsTo(kim.user.email)).toHaveLength(2);
    // The late notice goes out with the next slot after it.
    expect(await digestRun(acme, new Date(Date.now() + 2 * 3600_000).toISOString())).toBe(1);
    expect((await mailsTo(lee.user.email)).map((m) => m.subject)).toEqual(['1 new notification at Acme', '1 new notification at Acme']);
  });

  it('is one organisation’s: a digest run for globex sends nothing for acme', async () => {
    const nia = await addMember(acme.tenant, 'learner');
    await as(nia, (tx, ctx) => savePreferences(tx, ctx, { announcement: 'digest' }));
    await send(acme, [notice(nia.user.id, 'n1')]);
    expect(await digestRun(globex, new Date(Date.now() + 1000).toISOString())).toBe(0);
    expect(await mailsTo(nia.user.email)).toEqual([]);
  });

  it('is exported as a cron job for the registry', () => {
    expect(JOBS.find((j) => j.id === 'daily-digest')).toMatchObject({ trigger: { event: 'lectern/cron.daily-digest.v1', cron: '0 7 * * *' }, retries: 3, input: expect.anything() });
  });
});
