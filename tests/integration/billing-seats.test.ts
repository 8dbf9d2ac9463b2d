/**
 * The plan's limits where people meet them: learner seats on a Free organisation (25) through every path
 * that adds or enrols a learner, concurrent invitations for the last seats, the past-due grace period, and
 * the published-course limit. Billing is configured against the fake Stripe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { billingOverview, changeSubscription } from '@/lib/billing/service';
import { stripe } from '@/lib/billing/stripe';
import { createCourse, setCourseStatus, updateCourse } from '@/lib/courses/service';
import { commitImport } from '@/lib/enrolment/import';
import { decideRequest, enrolMembers, selfEnrol, setCourseRole } from '@/lib/enrolment/service';
import { acceptInvitation, changeRole, inviteMember, selfSignUp } from '@/lib/members/service';
import { shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, PASSWORD, tokenFromLink, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';
import { addLearners, entitlementsOf, linkCustomer, PRICE_TEAM, rejectionOf, sendWebhook, startBillingFake } from '../support/billing';

// Before anything reads the configuration (env() is parsed once per process).
const { fake, restoreEnv } = await startBillingFake();

const owner = ownerSql();
afterAll(async () => {
  await fake.close();
  await owner.end();
  restoreEnv();
});

const invite = (ctx: MemberContext, email: string, role: 'learner' | 'instructor' | 'admin' = 'learner') => as(ctx, (tx, c) => inviteMember(tx, c, { email, role }));

async function learnerCount(tenantId: string): Promise<number> {
  const [row] = await owner`select count(*)::int as n from memberships where tenant_id = ${tenantId} and role = 'learner'`;
  return row!.n as number;
}

async function enrolmentOf(courseId: string, userId: string): Promise<string | undefined> {
  const [row] = await owner`select status from enrolments where course_id = ${courseId} and user_id = ${userId}`;
  return row?.status as string | undefined;
}

/** A BillingLimitError with the code, as the page shows it: 402 and a link to the Billing page. */
function expectLimit(e: unknown, code: string, params: Record<string, unknown> = {}) {
  expect(e).toBeInstanceOf(BillingLimitError);
  expect(e).toMatchObject({ code, status: 402, link: '/admin/billing', params: expect.objectContaining(params) });
}

describe('learner seats on the Free plan (25)', () => {
  let org: Org;
  let learners: MemberContext[];
  let teacher: MemberContext;
  let open: ShortCourse;
  let approval: ShortCourse;
  let pendingToken: string;

  beforeAll(async () => {
    org = await makeOrg('full', { plan: 'free' });
    learners = await addLearners(org.tenant, 24);
    teacher = await addMember(org.tenant, 'instructor');
    open = await shortCourse(org.owner, 'Open course');
    approval = await shortCourse(org.owner, 'Approval course');
    await as(org.owner, (tx, c) =>
      updateCourse(tx, c, approval.id, { title: approval.title, slug: approval.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'approval', capacity: '', startsAt: '', endsAt: '' } as never),
    );
    // 24 learners + 1 open learner invitation: every seat is taken.
    pendingToken = tokenFromLink((await invite(org.owner, 'pending@full.test')).link, 'invite');
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'free', seatLimit: 25 });
  });

  it('refuses a further learner invitation with 402 and a link to Billing; staff invitations still go out', async () => {
    const e = await rejectionOf(invite(org.owner, 'extra@full.test'));
    expectLimit(e, 'seatLimitReached', { limit: 25, used: 24, pending: 1, plan: 'Free' });
    expect(e.message).toContain('All 25 learner seats on the Free plan are taken');
    const extra = await owner`select 1 from invitations where email = 'extra@full.test'`;
    expect(extra).toHaveLength(0);
    const mail = await owner`select 1 from emails where "to" = 'extra@full.test'`;
    expect(mail).toHaveLength(0);

    await invite(org.owner, 'coach@full.test', 'instructor');
    await invite(org.owner, 'helper@full.test', 'admin');
    // Re-sending the open learner invitation replaces it (its seat moves to the new one): allowed.
    pendingToken = tokenFromLink((await invite(org.owner, 'pending@full.test')).link, 'invite');
    const [open] = await owner`select count(*)::int as n from invitations where tenant_id = ${org.tenant.id} and role = 'learner' and accepted_at is null and revoked_at is null`;
    expect(open!.n).toBe(1);
  });

  it('the open invitation can still be accepted: its seat was held for it', async () => {
    await acceptInvitation(org.tenant, { token: pendingToken, name: 'Pending Person', password: PASSWORD });
    expect(await learnerCount(org.tenant.id)).toBe(25);
  });

  it('refuses self sign-up when every seat is taken', async () => {
    await owner`update tenant_settings set allow_self_signup = true where tenant_id = ${org.tenant.id}`;
    const e = await rejectionOf(selfSignUp(org.tenant, { name: 'Walk In', email: 'walkin@full.test', password: PASSWORD }));
    expectLimit(e, 'seatLimitReached', { limit: 25, used: 25, pending: 0 });
    expect(await owner`select 1 from users where email = 'walkin@full.test'`).toHaveLength(0);
    expect(await learnerCount(org.tenant.id)).toBe(25);
  });

  it('refuses turning an instructor into a learner when every seat is taken', async () => {
    const e = await rejectionOf(as(org.owner, (tx, c) => changeRole(tx, c, { membershipId: teacher.membershipId, role: 'learner' })));
    expectLimit(e, 'seatLimitReached');
    const [row] = await owner`select role from memberships where id = ${teacher.membershipId}`;
    expect(row!.role).toBe('instructor');
  });

  it('a deactivated member holds no seat: making them a learner needs none (reactivating them would)', async () => {
    const away = await addMember(org.tenant, 'instructor');
    await owner`update memberships set deactivated_at = now() where id = ${away.membershipId}`;
    await as(org.owner, (tx, c) => changeRole(tx, c, { membershipId: away.membershipId, role: 'learner' }));
    const [row] = await owner`select role from memberships where id = ${away.membershipId}`;
    expect(row!.role).toBe('learner');
    await owner`delete from memberships where id = ${away.membershipId}`; // the later tests count learners
  });

  it('at the limit, learners who hold seats still enrol: by themselves, by staff, by CSV import, by request', async () => {
    expect((await as(learners[0]!, (tx, c) => selfEnrol(tx, c, open.id))).status).toBe('active');
    expect(await as(org.owner, (tx, c) => enrolMembers(tx, c, open.id, [{ email: learners[1]!.user.email, role: 'learner' }]))).toEqual({ added: 1, alreadyEnrolled: 0 });
    expect(await as(org.owner, (tx, c) => commitImport(tx, c, open.id, [{ line: 1, email: learners[2]!.user.email, role: '' }]))).toMatchObject({ added: 1 });
    expect((await as(learners[3]!, (tx, c) => selfEnrol(tx, c, approval.id))).status).toBe('pending');
  });

  describe('over the limit (more learners than seats)', () => {
    let surplus: MemberContext;
    beforeAll(async () => {
      // As after a plan lapses: 26 learners on 25 seats.
      surplus = await addMember(org.tenant, 'learner');
      expect(await learnerCount(org.tenant.id)).toBe(26);
    });

    it('refuses every way of enrolling a learner with seatLimitExceeded, and changes nothing', async () => {
      const params = { limit: 25, used: 26 };
      expectLimit(await rejectionOf(as(learners[4]!, (tx, c) => selfEnrol(tx, c, open.id))), 'seatLimitExceeded', params);
      expectLimit(await rejectionOf(as(org.owner, (tx, c) => enrolMembers(tx, c, open.id, [{ email: learners[5]!.user.email, role: 'learner' }]))), 'seatLimitExceeded', params);
      expectLimit(await rejectionOf(as(org.owner, (tx, c) => commitImport(tx, c, open.id, [{ line: 1, email: learners[6]!.user.email, role: 'student' }]))), 'seatLimitExceeded', params);
      const [request] = await owner`select id from enrolments where course_id = ${approval.id} and user_id = ${learners[3]!.user.id}`;
      expectLimit(await rejectionOf(as(org.owner, (tx, c) => decideRequest(tx, c, request!.id as string, 'approve'))), 'seatLimitExceeded', params);

      expect(await enrolmentOf(open.id, learners[4]!.user.id)).toBeUndefined();
      expect(await enrolmentOf(open.id, learners[5]!.user.id)).toBeUndefined();
      expect(await enrolmentOf(open.id, learners[6]!.user.id)).toBeUndefined();
      expect(await enrolmentOf(approval.id, learners[3]!.user.id)).toBe('pending');
    });

    it('teaching staff can still be added to a course', async () => {
      expect(await as(org.owner, (tx, c) => enrolMembers(tx, c, open.id, [{ email: teacher.user.email, role: 'ta' }]))).toEqual({ added: 1, alreadyEnrolled: 0 });
    });

    it('making a course TA a course learner is refused too, like every other way of enrolling a learner', async () => {
      // A learner-member added to the course as TA: allowed, teaching staff hold no learner seat.
      await as(org.owner, (tx, c) => enrolMembers(tx, c, open.id, [{ email: learners[7]!.user.email, role: 'ta' }]));
      const [enrolment] = await owner`select id from enrolments where course_id = ${open.id} and user_id = ${learners[7]!.user.id}`;
      // Made a learner in the course while the organisation is over its seats: must be refused like enrolMembers is.
      expectLimit(await rejectionOf(as(org.owner, (tx, c) => enrolMembers(tx, c, open.id, [{ email: learners[7]!.user.email, role: 'learner' }]))), 'seatLimitExceeded');
      expectLimit(await rejectionOf(as(org.owner, (tx, c) => setCourseRole(tx, c, enrolment!.id as string, 'learner'))), 'seatLimitExceeded');
      const [row] = await owner`select role from enrolments where id = ${enrolment!.id}`;
      expect(row!.role).toBe('ta');
    });

    it('back at the limit, enrolment works again', async () => {
      await owner`delete from memberships where id = ${surplus.membershipId}`;
      expect((await as(learners[4]!, (tx, c) => selfEnrol(tx, c, open.id))).status).toBe('active');
    });
  });
});

describe('the last seats, requested at once', () => {
  it('five concurrent learner invitations with two seats left: exactly two succeed', async () => {
    const org = await makeOrg('race', { plan: 'free' });
    await addLearners(org.tenant, 23);
    const emails = [1, 2, 3, 4, 5].map((i) => `racer${i}@race.test`);
    // Each address has an open instructor invitation (which holds no seat); a learner invitation replaces it.
    for (const email of emails) await invite(org.owner, email, 'instructor');

    // Worst interleaving on purpose: hold those invitation rows, start all five requests, wait until every
    // one is queued behind the hold, then let them go at the same instant into the seat check.
    let settled!: Promise<PromiseSettledResult<unknown>[]>;
    await owner.begin(async (hold) => {
      await hold`select id from invitations where tenant_id = ${org.tenant.id} and email = any(${emails}) for update`;
      settled = Promise.allSettled(emails.map((email) => invite(org.owner, email)));
      for (let waited = 0; ; waited += 10) {
        await hold`select pg_stat_clear_snapshot()`; // pg_stat_activity is otherwise read once per transaction
        const [row] = await hold`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        if ((row!.n as number) >= emails.length) break;
        if (waited > 5000) throw new Error(`only ${String(row!.n)} of ${emails.length} requests queued`);
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    const results = await settled;
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(ok).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const e of refused) expectLimit(e, 'seatLimitReached', { limit: 25 });
    const [row] = await owner`select count(*)::int as n from invitations where tenant_id = ${org.tenant.id} and role = 'learner' and accepted_at is null and revoked_at is null`;
    expect(row!.n).toBe(2);
  });
});

describe('a payment overdue', () => {
  it('keeps adding learners during the 7-day grace, freezes new seats after it, and unfreezes when the invoice is paid', async () => {
    const org = await makeOrg('late', { plan: 'free' });
    const customer = await linkCustomer(owner, fake, org.tenant);
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 10 });
    expect(await sendWebhook(fake, 'customer.subscription.created', sub)).toMatchObject({ result: 'applied' });
    await addLearners(org.tenant, 3);
    const [invoice] = (await stripe().invoices.list({ customer })).data;
    expect(invoice!.parent?.subscription_details?.subscription).toBe(sub.id);

    // The renewal fails: Stripe marks the subscription past_due and says so.
    fake.setSubscription(sub.id, { status: 'past_due' });
    expect(await sendWebhook(fake, 'invoice.payment_failed', { ...invoice, status: 'open' })).toMatchObject({ status: 200, result: 'applied' });
    const grace = await entitlementsOf(org.tenant);
    expect(grace).toMatchObject({ plan: 'team', seatLimit: 10, status: 'past_due', pastDue: { locked: false } });
    expect(grace.pastDue!.graceEndsAt.getTime() - grace.pastDue!.since.getTime()).toBe(7 * 24 * 60 * 60 * 1000);
    expect(Math.abs(grace.pastDue!.since.getTime() - Date.now())).toBeLessThan(60_000);
    expect((await as(org.owner, (tx, c) => billingOverview(tx, c))).entitlements.pastDue).not.toBeNull();

    // Within the grace period: new learners are still welcome; the plan cannot be changed here.
    await invite(org.owner, 'during-grace@late.test');
    expect(await rejectionOf(as(org.owner, (tx, c) => changeSubscription(tx, c, { plan: 'team', seats: 20 })))).toMatchObject({ code: 'subscriptionNotChangeable' });

    // Eight days later: seats are frozen.
    await owner`update billing_subscriptions set past_due_since = now() - interval '8 days' where tenant_id = ${org.tenant.id}`;
    expect((await entitlementsOf(org.tenant)).pastDue).toMatchObject({ locked: true });
    expectLimit(await rejectionOf(invite(org.owner, 'after-grace@late.test')), 'billingPastDueLocked');

    // Another failed attempt does not restart the grace period.
    expect(await sendWebhook(fake, 'invoice.payment_failed', { ...invoice, status: 'open' })).toMatchObject({ result: 'applied' });
    expect((await entitlementsOf(org.tenant)).pastDue).toMatchObject({ locked: true });
    expectLimit(await rejectionOf(invite(org.owner, 'after-grace@late.test')), 'billingPastDueLocked');

    // Paid: active again, seats open.
    fake.setSubscription(sub.id, { status: 'active' });
    expect(await sendWebhook(fake, 'invoice.paid', { ...invoice, status: 'paid' })).toMatchObject({ status: 200, result: 'applied' });
    expect(await entitlementsOf(org.tenant)).toMatchObject({ plan: 'team', status: 'active', pastDue: null });
    await invite(org.owner, 'after-grace@late.test');
  });
});

describe('published courses', () => {
  it('the Free plan publishes three courses; a fourth is refused until the organisation is on Team', async () => {
    const org = await makeOrg('pub', { plan: 'free' });
    for (const title of ['One', 'Two', 'Three']) await shortCourse(org.owner, title);
    const fourth = await as(org.owner, (tx, c) => createCourse(tx, c, { title: 'Four' }));

    expectLimit(await rejectionOf(as(org.owner, (tx, c) => setCourseStatus(tx, c, fourth.id, 'published'))), 'publishedCourseLimit', { limit: 3, plan: 'Free' });
    const [row] = await owner`select status from courses where id = ${fourth.id}`;
    expect(row!.status).toBe('draft');

    const customer = await linkCustomer(owner, fake, org.tenant);
    const sub = fake.createSubscription({ customer, price: PRICE_TEAM, quantity: 10 });
    expect(await sendWebhook(fake, 'customer.subscription.created', sub)).toMatchObject({ result: 'applied' });
    expect((await as(org.owner, (tx, c) => setCourseStatus(tx, c, fourth.id, 'published'))).status).toBe('published');
    expect((await as(org.owner, (tx, c) => billingOverview(tx, c))).publishedCourses).toBe(4);
  });
});
