/**
 * Dead letters in the admin area: an event the worker gave up on is listed for the organisation's admins with
 * its error and payload, and "Retry" (after a confirmation) sends it round again; the worker then delivers it
 * and it leaves the list. Learners cannot open the page.
 */
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';
import { e2eDatabaseUrl } from './server-info';

const ADMIN = 'admin@acme.test';
const LEARNER = 'learner12@acme.test';
const marker = `dead-letter-${unique()}`;

test.beforeAll(async () => {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const [t] = await sql<{ id: string }[]>`select id from tenants where slug = 'acme'`;
    // A known event whose delivery failed for good (as after a partner outage): it has no job today, so a retry delivers it.
    await sql`insert into outbox (tenant_id, name, payload, attempts, next_attempt_at, last_error)
      values (${t!.id}, 'lectern/member.invited.v1', ${sql.json({ marker })}, 6, 'infinity', 'notify-partner: Error: ECONNREFUSED 10.0.0.7:443')`;
  } finally {
    await sql.end();
  }
});

test('an admin sees a dead letter and retries it; the worker then delivers it', async ({ page }) => {
  await signIn(page, 'acme', ADMIN);
  await page.goto(tenantUrl('acme', '/admin'));
  await page.getByRole('link', { name: 'Background jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Background jobs', level: 1 })).toBeVisible();
  const row = page.getByTestId('dead-letter').filter({ hasText: 'notify-partner: Error: ECONNREFUSED' });
  await expect(row).toContainText('lectern/member.invited.v1');
  await expect(row).toContainText('6 attempts');
  await row.getByText('Payload').click();
  await expect(row).toContainText(marker);
  await expectAccessible(page, 'Background jobs');
  await page.screenshot({ path: 'test-results/jobs-dead-letters.png', fullPage: true });

  await row.getByRole('button', { name: 'Retry lectern/member.invited.v1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retry lectern/member.invited.v1?' });
  await dialog.getByRole('button', { name: 'Retry now' }).click();
  await expect(page.getByText('1 event will be processed again.')).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('dead-letter').filter({ hasText: marker })).toHaveCount(0, { timeout: 1000 });
    await expect(page.getByTestId('dead-letter').filter({ hasText: 'notify-partner' })).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
});

test('a learner cannot open the background jobs page', async ({ page }) => {
  await signIn(page, 'acme', LEARNER);
  const res = await page.goto(tenantUrl('acme', '/admin/jobs'));
  expect(res?.status()).toBe(403);
});
