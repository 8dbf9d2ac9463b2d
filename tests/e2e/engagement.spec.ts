/**
 * Announcements and due dates end to end: an instructor posts an announcement, the embedded worker fans it
 * out (the staff list turns "Sending…" into "Sent to 1 learner"), and the learner reads it in the course; the
 * learner's home shows "Due soon" for a quiz due tomorrow; the learner creates a private calendar feed, the
 * feed URL answers the event without a session, and after a revoke it answers 404. The course and its quiz
 * are set up in the database (quiz authoring is covered by quiz.spec.ts).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { expectAccessible, signIn, unique } from './helpers';
import { e2eDatabaseUrl } from './server-info';

const u = unique();
const slug = `engage-${u}`;
const COURSE = `Night Sky ${u}`;
const INSTRUCTOR = 'instructor2@acme.test';
const LEARNER = 'learner7@acme.test';
const QUIZ = `Constellations quiz ${u}`;
const ANNOUNCEMENT = `Observatory trip ${u}`;
const quizId = randomUUID();

/**
 * GET a URL the way a calendar app does: no cookies, no session. Through node:http with the Host header,
 * since Node does not resolve *.localhost (Chromium does).
 */
function fetchWithoutSession(url: string): Promise<{ status: number; type: string | undefined; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: u.port, path: u.pathname, headers: { host: u.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
  });
}

test.describe('announcements and due dates', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      const [tenant] = await sql<{ id: string }[]>`select id from tenants where slug = 'acme'`;
      const t = tenant!.id;
      const [course] = await sql<{ id: string }[]>`
        insert into courses (tenant_id, slug, title, status, published_at) values (${t}, ${slug}, ${COURSE}, 'published', now()) returning id`;
      const c = course!.id;
      const people = await sql<{ id: string; email: string }[]>`select id, email from users where email in (${INSTRUCTOR}, ${LEARNER})`;
      const id = (email: string) => people.find((p) => p.email === email)!.id;
      await sql`insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at) values
        (${t}, ${c}, ${id(INSTRUCTOR)}, 'instructor', 'active', now()),
        (${t}, ${c}, ${id(LEARNER)}, 'learner', 'active', now())`;
      const [mod] = await sql<{ id: string }[]>`insert into course_modules (tenant_id, course_id, title, position) values (${t}, ${c}, 'Week 1', 0) returning id`;
      const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000 - 60 * 60 * 1000); // due in 23 hours
      await sql`insert into course_items (tenant_id, id, course_id, module_id, kind, title, position, content) values
        (${t}, ${quizId}, ${c}, ${mod!.id}, 'quiz', ${QUIZ}, 0, ${sql.json({ dueAt: tomorrow.toISOString(), questionIds: [], pools: [] })})`;
    } finally {
      await sql.end();
    }
  });

  test('an instructor posts an announcement and sees it sent', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/announcements`);
    await expect(page.getByRole('link', { name: 'Announcements' })).toHaveAttribute('aria-current', 'page');
    const form = page.getByRole('form', { name: 'New announcement' });
    // Named validation errors first.
    await form.getByRole('button', { name: 'Post announcement' }).click();
    await expect(form.getByText('Enter a title.')).toBeVisible();
    await expect(form.getByText('Write a message.')).toBeVisible();
    await form.getByLabel('Title').fill(ANNOUNCEMENT);
    await form.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('Meet at the dome at 9 pm. Bring warm clothes.');
    await form.getByRole('button', { name: 'Post announcement' }).click();
    await expect(form.getByText('Announcement posted. Learners are being notified.')).toBeVisible();
    await expect(form.getByLabel('Title')).toHaveValue('');
    const posted = page.getByTestId('announcement').filter({ hasText: ANNOUNCEMENT });
    await expect(posted).toContainText('Meet at the dome at 9 pm.');
    // The embedded worker fans it out in the background; the page re-reads itself until it has.
    await expect(posted.getByTestId('announcement-delivery')).toHaveText('Sent to 1 learner', { timeout: 30_000 });
    await expectAccessible(page, 'staff announcements');
    await page.screenshot({ path: 'test-results/announcements-staff.png', fullPage: true });
  });

  test('the learner reads it in the course and gets a notice', async ({ page }) => {
    await signIn(page, 'acme', LEARNER, undefined, `/learn/${slug}/${quizId}`);
    await page.getByRole('link', { name: 'Announcements' }).first().click();
    await expect(page.getByRole('heading', { name: 'Announcements', level: 1 })).toBeVisible();
    const item = page.getByTestId('announcement').filter({ hasText: ANNOUNCEMENT });
    await expect(item).toContainText('Meet at the dome at 9 pm. Bring warm clothes.');
    await expect(item.getByRole('button', { name: /Delete/ })).toHaveCount(0);
    await expect(page.getByText('Sent to')).toHaveCount(0);
    await expectAccessible(page, 'learner announcements');
    await page.screenshot({ path: 'test-results/announcements-learner.png', fullPage: true });

    const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      const notices = await sql`select n.title from notifications n join users u on u.id = n.user_id
                                where u.email = ${LEARNER} and n.type = 'announcement' and n.title = ${`${COURSE}: ${ANNOUNCEMENT}`}`;
      expect(notices).toHaveLength(1);
    } finally {
      await sql.end();
    }
  });

  test("the learner's home shows the quiz due tomorrow under Due soon", async ({ page }) => {
    await signIn(page, 'acme', LEARNER);
    const due = page.getByRole('region', { name: 'Due soon' });
    const row = due.getByTestId('due-item').filter({ hasText: QUIZ });
    await expect(row).toContainText(COURSE);
    await expect(row).toContainText('in 23 hours');
    await expect(row.getByRole('link', { name: QUIZ })).toHaveAttribute('href', `/learn/${slug}/${quizId}`);
    await expectAccessible(page, 'learner home with Due soon');
    await page.screenshot({ path: 'test-results/due-soon.png', fullPage: true });
  });

  test('the learner creates a calendar feed, which answers the event, until revoked', async ({ page }) => {
    await signIn(page, 'acme', LEARNER, undefined, '/calendar');
    await expect(page.getByRole('heading', { name: 'Calendar', level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Upcoming' }).getByTestId('due-item').filter({ hasText: QUIZ })).toBeVisible();
    const feed = page.getByRole('region', { name: 'Calendar feed' });
    const existing = feed.getByRole('button', { name: 'Revoke' });
    if (await existing.isVisible()) {
      // A feed from an earlier run of the suite on this database: start from none.
      await existing.click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke feed' }).click();
    }
    await feed.getByRole('button', { name: 'Create feed address' }).click();
    const urlField = feed.getByLabel('Your private feed address');
    await expect(urlField).toHaveValue(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const url = await urlField.inputValue();
    await feed.getByRole('button', { name: 'Copy' }).click();
    await expect(feed.getByRole('button', { name: 'Copied' })).toBeVisible();
    await expect(feed.getByTestId('feed-status')).toContainText('Not fetched yet.');
    await expectAccessible(page, 'calendar with a new feed');
    await page.screenshot({ path: 'test-results/calendar.png', fullPage: true });

    const res = await fetchWithoutSession(url);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/calendar; charset=utf-8');
    expect(res.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(res.body).toContain(`UID:due-${quizId}@lectern`);
    expect(res.body.replace(/\r\n[ \t]/g, '')).toContain(`SUMMARY:${QUIZ} due — ${COURSE}`);
    expect(res.body).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);

    await page.reload();
    await expect(feed.getByTestId('feed-status')).toContainText('Last fetched');
    await feed.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the calendar feed?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Revoke feed' }).click();
    await expect(feed.getByText('Calendar feed revoked. Its address no longer works.')).toBeVisible();
    await expect(feed.getByRole('button', { name: 'Create feed address' })).toBeVisible();
    expect((await fetchWithoutSession(url)).status).toBe(404);
  });

  test('the instructor deletes the announcement after confirming', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/announcements`);
    const posted = page.getByTestId('announcement').filter({ hasText: ANNOUNCEMENT });
    await posted.getByRole('button', { name: `Delete announcement “${ANNOUNCEMENT}”` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this announcement?' });
    await expect(dialog).toContainText(ANNOUNCEMENT);
    await dialog.getByRole('button', { name: 'Delete announcement' }).click();
    await expect(page.getByText('Announcement deleted.')).toBeVisible();
    await expect(posted).toHaveCount(0);
    await expect(page.getByText('No announcements yet. Post the first one above.')).toBeVisible();
  });
});
