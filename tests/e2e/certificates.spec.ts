/**
 * Certificates and programs end to end (issue 5): a new learner completes a short demo course, finds the
 * certificate under My certificates, downloads the PDF, and anyone signed out can verify its code; an admin
 * revokes it and the verification page says so at once. Then an admin builds a program by keyboard and the
 * learner sees their progress in it. Authorisation edge cases are in tests/integration/certificates.test.ts.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';

const COURSE = { slug: 'espanol-para-el-trabajo', title: 'Español para el trabajo', items: ['Hola, ¿qué tal?', 'Diccionario de la lengua española'] };
const learner = { name: `Cora Certified ${unique()}`, email: '', password: 'cert-password-1' };
const cert = { code: '', href: '' };

async function fetchStatus(page: Page, href: string): Promise<{ status: number; pdf: boolean }> {
  return page.evaluate(async (url) => {
    const r = await fetch(url);
    return { status: r.status, pdf: (r.headers.get('content-type') ?? '').includes('pdf') };
  }, href);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/certificates-${name}.png`, fullPage: true });
}

test.describe('certificates', () => {
  test.describe.configure({ mode: 'serial' });

  test('a learner completes a course, downloads the certificate, and anyone can verify it until an admin revokes it', async ({ page, browser }) => {
    test.setTimeout(120_000);
    learner.email = `cert-${unique()}@example.test`;

    await test.step('sign up and complete a short course', async () => {
      await page.goto(tenantUrl('acme', '/sign-up'));
      await page.getByLabel('Your name').fill(learner.name);
      await page.getByLabel('Email', { exact: true }).fill(learner.email);
      await page.getByLabel('Password', { exact: true }).fill(learner.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(tenantUrl('acme', '/'));
      await expect(page.getByTestId('signed-in-as')).toHaveText(learner.name);

      await page.goto(tenantUrl('acme', `/courses/${COURSE.slug}`));
      await page.getByRole('button', { name: 'Enrol', exact: true }).click();
      await page.waitForURL(new RegExp(`/learn/${COURSE.slug}/[0-9a-f-]{36}$`));
      const outline = page.getByRole('complementary').getByRole('navigation', { name: 'Course outline' });
      for (const title of COURSE.items) {
        await outline.getByRole('link', { name: new RegExp(`^${title.replace(/[?¿]/g, '.')}`) }).click();
        await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
        await page.getByRole('button', { name: 'Mark complete' }).click();
        await expect(page.getByText(/Saved: item marked complete\.|course complete!/).first()).toBeVisible();
      }
      await expect(page.getByTestId('course-complete')).toBeVisible();
    });

    await test.step('the bell shows the certificate notice (issued by the background job)', async () => {
      const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
      await expect(async () => {
        await page.reload();
        await bell.click({ timeout: 1000 });
        await expect(page.getByRole('dialog', { name: 'Notifications' }).getByTestId('bell-notice').filter({ hasText: `Your certificate for ${COURSE.title} is ready` })).toBeVisible({ timeout: 1000 });
      }).toPass({ timeout: 30_000 });
      await shot(page, 'bell-certificate');
      await page.keyboard.press('Escape');
    });

    await test.step('the certificate appears under My certificates', async () => {
      await page.goto(tenantUrl('acme', '/learn'));
      await page.getByRole('navigation', { name: 'More of my learning' }).getByRole('link', { name: 'My certificates' }).click();
      await page.waitForURL(tenantUrl('acme', '/account/certificates'));
      const card = page.getByTestId('my-certificate').filter({ hasText: COURSE.title });
      await expect(async () => {
        await page.reload();
        await expect(card).toBeVisible({ timeout: 1000 });
      }).toPass({ timeout: 30_000 });
      await expect(card.getByRole('heading', { name: COURSE.title })).toBeVisible();
      await expect(card).toContainText('Valid');
      cert.code = (await card.getByTestId('certificate-code').textContent())!.trim();
      expect(cert.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
      await expectAccessible(page, 'My certificates');
      await shot(page, 'learner-list');
    });

    await test.step('the PDF downloads', async () => {
      const card = page.getByTestId('my-certificate').filter({ hasText: COURSE.title });
      const link = card.getByRole('link', { name: `Download PDF of your certificate for ${COURSE.title}` });
      cert.href = (await link.getAttribute('href'))!;
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(`${COURSE.title} certificate.pdf`);
      const bytes = readFileSync((await download.path())!);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    });

    await test.step('another member cannot download it', async () => {
      const other = await browser.newContext();
      try {
        const otherPage = await other.newPage();
        await signIn(otherPage, 'acme', 'learner2@acme.test');
        // Node cannot resolve *.localhost: the browser itself asks, with that member's session.
        expect(await fetchStatus(otherPage, cert.href)).toEqual({ status: 404, pdf: false });
      } finally {
        await other.close();
      }
    });

    const visitor = await browser.newContext();
    try {
      const anon = await visitor.newPage();
      await test.step('a signed-out visitor verifies the code on the organisation’s site', async () => {
        await anon.goto(tenantUrl('acme', '/verify'));
        await expect(anon.getByRole('heading', { name: 'Verify a certificate', level: 1 })).toBeVisible();
        await anon.getByRole('textbox', { name: 'Certificate code' }).fill(cert.code.toLowerCase());
        await anon.getByRole('button', { name: 'Check' }).click();
        await anon.waitForURL(tenantUrl('acme', `/verify/${cert.code}`));
        await expect(anon.getByTestId('signed-in-as')).toHaveCount(0);
        const verdict = anon.getByTestId('verification');
        await expect(verdict).toHaveAttribute('data-status', 'valid');
        await expect(verdict.getByRole('heading', { name: 'Valid' })).toBeVisible();
        await expect(anon.getByTestId('verify-recipient')).toHaveText(learner.name);
        await expect(anon.getByTestId('verify-title')).toHaveText(COURSE.title);
        await expect(anon.getByText('Acme Academy', { exact: true }).last()).toBeVisible();
        await expectAccessible(anon, 'verification (valid)');
        await shot(anon, 'verify-valid');

        const res = await anon.goto(tenantUrl('acme', '/verify/ABCD-EFGH-JKMN-PQRS'));
        expect(res?.status()).toBe(404);
        await expect(anon.getByRole('heading', { name: 'No certificate found', level: 1 })).toBeVisible();
        await expectAccessible(anon, 'verification (not found)');
        // Acme's code on another organisation's site: the same answer.
        const elsewhere = await anon.goto(tenantUrl('globex', `/verify/${cert.code}`));
        expect(elsewhere?.status()).toBe(404);
        await expect(anon.getByRole('heading', { name: 'No certificate found', level: 1 })).toBeVisible();
      });

      await test.step('an admin revokes it, with a reason; the verification page says so at once', async () => {
        const admin = await browser.newContext();
        try {
          const adminPage = await admin.newPage();
          await signIn(adminPage, 'acme', 'admin@acme.test', undefined, '/admin/certificates');
          await adminPage.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Certificates' }).click();
          await adminPage.getByRole('searchbox', { name: 'Search' }).fill(cert.code);
          await adminPage.getByRole('button', { name: 'Search', exact: true }).click();
          const row = adminPage.locator(`[data-testid="certificate-row"][data-code="${cert.code}"]`);
          await expect(row).toContainText(learner.name);
          await expect(adminPage.getByTestId('certificate-row')).toHaveCount(1);
          await expectAccessible(adminPage, 'admin certificates');

          await row.getByRole('button', { name: `Revoke certificate ${cert.code}` }).click();
          const dialog = adminPage.getByRole('dialog', { name: 'Revoke this certificate?' });
          await expect(dialog).toBeVisible();
          await dialog.getByRole('button', { name: 'Revoke certificate' }).click();
          await expect(dialog.getByRole('alert')).toContainText('Give a reason for revoking');
          await expect(dialog.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
          await dialog.getByLabel('Reason').fill('Completed on a shared account');
          await expectAccessible(adminPage, 'the revoke dialog');
          await shot(adminPage, 'admin-revoke-dialog');
          await dialog.getByRole('button', { name: 'Revoke certificate' }).click();
          await expect(dialog).toBeHidden();
          await expect(row).toContainText(/Revoked on \d{1,2} \w+ \d{4}|Revoked on \w+ \d{1,2}, \d{4}/);
          await expect(row).toContainText('Reason: Completed on a shared account');
          await expect(row.getByRole('button', { name: `Un-revoke certificate ${cert.code}` })).toBeVisible();
          await shot(adminPage, 'admin-list');

          await adminPage.goto(tenantUrl('acme', '/admin/audit'));
          await expect(adminPage.getByTestId('audit-row').first()).toContainText('certificate.revoked');
        } finally {
          await admin.close();
        }

        await anon.goto(tenantUrl('acme', `/verify/${cert.code}`));
        const verdict = anon.getByTestId('verification');
        await expect(verdict).toHaveAttribute('data-status', 'revoked');
        await expect(verdict.getByRole('heading', { name: /^Revoked on / })).toBeVisible();
        await expect(verdict).toContainText('Completed on a shared account');
        await expectAccessible(anon, 'verification (revoked)');
        await shot(anon, 'verify-revoked');
      });
    } finally {
      await visitor.close();
    }

    await test.step('the learner’s list marks it revoked and offers no download', async () => {
      await page.reload();
      const card = page.getByTestId('my-certificate').filter({ hasText: COURSE.title });
      await expect(card).toContainText(/Revoked on /);
      await expect(card.getByRole('link', { name: /^Download PDF/ })).toHaveCount(0);
      expect(await fetchStatus(page, cert.href)).toEqual({ status: 403, pdf: false });
    });
  });

  test('an admin builds a program by keyboard and publishes it; the learner sees their progress in it', async ({ page }) => {
    const title = `Spanish at Work ${unique()}`;
    await signIn(page, 'acme', 'admin@acme.test', undefined, '/admin/programs');
    await expect(page.getByRole('heading', { name: 'Programs', level: 1 })).toBeVisible();
    await page.getByLabel('Program title').fill(title);
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.waitForURL(/\/admin\/programs\/[0-9a-f-]{36}\?created=1$/);
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();

    // Add two courses, then move the second to the top with the keyboard.
    const add = page.getByLabel('Add a course', { exact: true });
    for (const course of ['Workplace Safety 101', COURSE.title]) {
      await add.selectOption({ label: course });
      await page.getByRole('button', { name: 'Add course' }).click();
      await expect(page.getByTestId('program-course').filter({ hasText: course })).toBeVisible();
    }
    await expect(page.getByTestId('program-course')).toHaveText([/Workplace Safety 101/, new RegExp(COURSE.title)]);
    await page.getByRole('button', { name: `Move ${COURSE.title} up` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('program-course')).toHaveText([new RegExp(COURSE.title), /Workplace Safety 101/]);
    await expect(page.getByRole('status').filter({ hasText: `Moved ${COURSE.title} up.` })).toBeVisible();
    // Focus follows the moved course: at the top, to its "down" button.
    await expect(page.getByRole('button', { name: `Move ${COURSE.title} down` })).toBeFocused();
    await expectAccessible(page, 'program editor');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Publish “${title}”?` });
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByText('The program is published.')).toBeVisible();
    await shot(page, 'admin-program');

    await page.context().clearCookies();
    await page.goto(tenantUrl('acme', '/sign-in'));
    await page.getByLabel('Email', { exact: true }).fill(learner.email);
    await page.getByLabel('Password', { exact: true }).fill(learner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await page.goto(tenantUrl('acme', '/programs'));
    const card = page.getByTestId('my-program').filter({ hasText: title });
    await expect(card).toContainText('1 of 2 courses completed');
    await card.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(page.getByTestId('program-course')).toHaveText([new RegExp(`${COURSE.title}.*Completed`), /Workplace Safety 101.*Not enrolled/]);
    await expectAccessible(page, 'a learner’s program');
    await shot(page, 'learner-program');
  });
});
