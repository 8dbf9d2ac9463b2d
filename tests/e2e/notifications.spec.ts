/**
 * Notifications end to end: a learner with two notices sees the bell's count, opens the panel, marks one
 * read and follows the other (the count drops each time), finds both on the notifications page, and saves
 * an email setting on the preferences page. The notices are put in the database: producers (announcements,
 * reminders) are built elsewhere; the enrolment notice is covered by the integration tests.
 */
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';
import { e2eDatabaseUrl } from './server-info';

const LEARNER = 'learner13@acme.test';
const ADMIN = 'admin@acme.test';
const u = unique();
const FOLLOW = `Room change ${u}`;
const MARK = `Quiz due tomorrow ${u}`;

test.describe('notifications', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      // Let the worker finish what the seed left (enrolment notices) so the count below is ours alone.
      for (let i = 0; i < 60; i += 1) {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null and next_attempt_at <= now()`;
        if (!row!.n) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const [t] = await sql<{ id: string }[]>`select id from tenants where slug = 'acme'`;
      const [user] = await sql<{ id: string }[]>`select id from users where email = ${LEARNER}`;
      await sql`update notifications set read_at = now() where tenant_id = ${t!.id} and user_id = ${user!.id} and read_at is null`;
      await sql`delete from notification_preferences where tenant_id = ${t!.id} and user_id = ${user!.id}`;
      await sql`insert into notifications (tenant_id, user_id, type, title, body, link, dedupe_key, email_mode, created_at) values
        (${t!.id}, ${user!.id}, 'announcement', ${FOLLOW}, 'We meet in room 4 today.', '/courses', ${`e2e-follow-${u}`}, 'off', now()),
        (${t!.id}, ${user!.id}, 'due-reminder', ${MARK}, 'The practice quiz closes at 17:00.', null, ${`e2e-mark-${u}`}, 'off', now() - interval '2 hours')`;
    } finally {
      await sql.end();
    }
  });

  test('a learner sees the count, opens the bell, marks one read and follows the other', async ({ page }) => {
    await signIn(page, 'acme', LEARNER);
    const bell = page.getByRole('button', { name: 'Notifications, 2 unread' });
    await expect(bell).toBeVisible();
    await expect(page.getByTestId('notification-count')).toHaveText('2');

    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId('bell-notice').filter({ hasText: FOLLOW })).toBeVisible();
    await expect(panel.getByTestId('bell-notice').filter({ hasText: MARK })).toContainText('The practice quiz closes at 17:00.');
    await expectAccessible(page, 'the bell panel');
    await page.screenshot({ path: 'test-results/notifications-bell.png' });

    // The button says “Mark as read”; screen readers also hear which notice.
    await panel.getByRole('button', { name: new RegExp(`^Mark as read\\W+${MARK}$`) }).click();
    await expect(page.getByTestId('notification-count')).toHaveText('1');
    await expect(page.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();

    // Escape closes the panel and gives focus back to the bell.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(page.getByRole('button', { name: 'Notifications, 1 unread' })).toBeFocused();

    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await panel.getByRole('link', { name: FOLLOW }).click();
    await page.waitForURL(tenantUrl('acme', '/courses'));
    await expect(page.getByTestId('notification-count')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();

    // Still 0 after a reload: it was saved, not only shown.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
    await expect(page.getByTestId('notification-count')).toHaveCount(0);

    await page.goto(tenantUrl('acme', '/notifications'));
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    const notices = page.getByTestId('notice');
    await expect(notices.filter({ hasText: FOLLOW })).toHaveAttribute('data-read', 'true');
    await expect(notices.filter({ hasText: MARK })).toHaveAttribute('data-read', 'true');
    await expect(page.getByTestId('unread-summary')).toHaveText('Nothing unread.');
    await expectAccessible(page, 'the notifications page');
    await page.screenshot({ path: 'test-results/notifications-page.png', fullPage: true });
  });

  test('the preferences page saves an email setting per type, and says in-app notices stay', async ({ page }) => {
    await signIn(page, 'acme', LEARNER, undefined, '/account/notifications');
    await expect(page.getByRole('heading', { name: 'Email notifications', level: 1 })).toBeVisible();
    await expect(page.getByText('Notifications always appear under the bell')).toBeVisible();
    const group = page.getByRole('group', { name: 'Course announcements' });
    await expect(group.getByRole('radio', { name: /Email me at once/ })).toBeChecked();
    await group.getByRole('radio', { name: /Daily summary email/ }).check();
    await page.getByRole('group', { name: 'Due-date reminders' }).getByRole('radio', { name: /No email/ }).check();
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Email settings saved.' })).toBeVisible();
    await expectAccessible(page, 'notification preferences');
    await page.screenshot({ path: 'test-results/notifications-preferences.png', fullPage: true });

    await page.reload();
    await expect(page.getByRole('group', { name: 'Course announcements' }).getByRole('radio', { name: /Daily summary email/ })).toBeChecked();
    await expect(page.getByRole('group', { name: 'Due-date reminders' }).getByRole('radio', { name: /No email/ })).toBeChecked();
    await expect(page.getByRole('group', { name: 'Enrolled in a course' }).getByRole('radio', { name: /Email me at once/ })).toBeChecked();
  });

  test('the admin mailbox shows a notice mail’s branded HTML in a sandboxed frame', async ({ page }) => {
    await signIn(page, 'acme', ADMIN, undefined, '/admin/mailbox');
    const mail = page.getByTestId('mail-item').filter({ hasText: 'You are enrolled in' }).first();
    await expect(mail).toBeVisible();
    await mail.locator('summary').click();
    await expect(mail.locator('pre')).toContainText('/account/notifications');
    await expectAccessible(page, 'the mailbox with a mail opened');
    await mail.getByRole('button', { name: 'Show the formatted version' }).click();
    const frame = mail.locator('iframe');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(frame).toHaveAttribute('srcdoc', /Open in Acme/);
    await frame.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/notifications-mailbox.png', fullPage: true });
  });
});
