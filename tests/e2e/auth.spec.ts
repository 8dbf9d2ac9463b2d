/**
 * Signing in and out, lockout, password reset by email, self-registration, and what forms say about
 * bad input (organisation sign-up, logo uploads).
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, expectLandedSignedIn, linkFromMailbox, ROOT_DOMAIN, rootUrl, signIn, tempFile, tenantUrl, unique } from './helpers';

const INVALID = 'That email and password do not match an account in this organisation.';

/** Submit the sign-in form once and wait for the server's answer. */
async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['next-action'] !== undefined),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto(tenantUrl('acme', '/sign-in'));
  await submitSignIn(page, 'learner2@acme.test', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: INVALID })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  // The email survives the failed attempt; the password does not.
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('learner2@acme.test');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await expectAccessible(page, 'acme sign-in after a wrong password');
});

test('ten wrong passwords lock the account, even against the right one', async ({ page }) => {
  const email = 'learner20@globex.test';
  await page.goto(tenantUrl('globex', '/sign-in'));
  for (let i = 1; i <= 10; i++) {
    await submitSignIn(page, email, `wrong-password-${i}`);
    await expect(page.getByRole('alert').filter({ hasText: /do not match|Too many failed sign-ins/ })).toBeVisible();
  }
  await submitSignIn(page, email, DEMO_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'Too many failed sign-ins for this account.' })).toBeVisible();
  await expect(page.getByText('You can reset your password now, or try again later.')).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await expectAccessible(page, 'globex sign-in while locked out');
});

test('password reset by email, then sign in with the new password and sign out', async ({ page, browser }) => {
  const email = 'learner5@acme.test';
  const newPassword = `new-password-${unique()}`;

  await test.step('request a reset link', async () => {
    await page.goto(tenantUrl('acme', '/sign-in'));
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page).toHaveURL(tenantUrl('acme', '/reset-password'));
    await expect(page.getByRole('heading', { name: 'Reset your password', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the reset request page');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByText('If that address belongs to a member, a reset link is on its way.')).toBeVisible();
    await expectAccessible(page, 'the reset request page after sending');
  });

  const link = await test.step('an admin finds the link in the mailbox', async () => {
    await signIn(page, 'acme', 'admin@acme.test', DEMO_PASSWORD, '/admin/mailbox');
    return linkFromMailbox(page, 'acme', { to: email, subject: 'Reset your Acme Academy password', linkPath: '/reset-password/' });
  });
  expect(new URL(link).host).toBe(`acme.${ROOT_DOMAIN}`);

  const context = await browser.newContext();
  const learner = await context.newPage();
  try {
    await test.step('choose a new password (a mismatch first)', async () => {
      await learner.goto(link);
      await expect(learner.getByRole('heading', { name: 'Choose a new password', level: 1 })).toBeVisible();
      await expectAccessible(learner, 'the choose-a-new-password page');
      await learner.getByLabel('New password', { exact: true }).fill(newPassword);
      await learner.getByLabel('Repeat the new password').fill(`${newPassword}-typo`);
      await learner.getByRole('button', { name: 'Set new password' }).click();
      await expect(learner.getByText('The two passwords do not match.').first()).toBeVisible();
      await expect(learner.getByLabel('Repeat the new password')).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(learner, 'the choose-a-new-password page with a mismatch');

      await learner.getByLabel('New password', { exact: true }).fill(newPassword);
      await learner.getByLabel('Repeat the new password').fill(newPassword);
      await learner.getByRole('button', { name: 'Set new password' }).click();
      await expect(learner).toHaveURL(tenantUrl('acme', '/sign-in?reset=1'));
      await expect(learner.getByText('Your password was changed. Sign in with the new one.')).toBeVisible();
    });

    await test.step('the old password no longer works; the new one does', async () => {
      await submitSignIn(learner, email, DEMO_PASSWORD);
      await expect(learner.getByRole('alert').filter({ hasText: INVALID })).toBeVisible();
      await signIn(learner, 'acme', email, newPassword);
      await expect(learner).toHaveURL(tenantUrl('acme', '/'));
      await expect(learner.getByRole('heading', { name: /^Hello, /, level: 1 })).toBeVisible();
    });

    await test.step('the reset link works only once', async () => {
      await learner.goto(link);
      await learner.getByLabel('New password', { exact: true }).fill('another-password-1');
      await learner.getByLabel('Repeat the new password').fill('another-password-1');
      await learner.getByRole('button', { name: 'Set new password' }).click();
      await expect(learner.getByText('This reset link has expired or was already used.').first()).toBeVisible();
    });

    await test.step('sign out', async () => {
      await learner.goto(tenantUrl('acme', '/'));
      await learner.getByRole('button', { name: 'Sign out' }).click();
      await expect(learner).toHaveURL(tenantUrl('acme', '/sign-in?signedOut=1'));
      await expect(learner.getByText('You have signed out.')).toBeVisible();
      await expect(learner.getByTestId('signed-in-as')).toHaveCount(0);
      await expectAccessible(learner, 'sign-in after signing out');
      await learner.goto(tenantUrl('acme', '/'));
      await expect(learner.getByRole('heading', { name: 'Welcome to Acme Academy', level: 1 })).toBeVisible();
    });
  } finally {
    await context.close();
  }
});

test('self sign-up on acme creates a learner and signs them in', async ({ page }) => {
  const id = unique();
  const name = `Sam Self ${id}`;
  await page.goto(tenantUrl('acme', '/sign-in'));
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(tenantUrl('acme', '/sign-up'));
  await expect(page.getByRole('heading', { name: 'Join Acme Academy', level: 1 })).toBeVisible();
  await expectAccessible(page, 'acme sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email', { exact: true }).fill(`self-${id}@example.test`);
  await page.getByLabel('Password', { exact: true }).fill('self-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectLandedSignedIn(page, 'acme', name);
  await page.reload();
  await expect(page.getByRole('heading', { name: `Hello, ${name}`, level: 1 })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveText(name);
  await expect(page.getByText('Learner', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await expectAccessible(page, 'the new learner home');
});

test('signing in from a protected page returns there', async ({ page }) => {
  const res = await page.goto(tenantUrl('acme', '/admin/audit'));
  expect(res?.ok()).toBe(true);
  await expect(page).toHaveURL(tenantUrl('acme', '/sign-in?callbackUrl=%2Fadmin%2Faudit'));
  await page.getByLabel('Email', { exact: true }).fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(tenantUrl('acme', '/admin/audit'));
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 }), 'the audit log right after the sign-in redirect').toBeVisible();
  // The log is newest first, and the demo's grading history fills its first page: any row shows it rendered.
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
});

test('globex does not allow self-registration', async ({ page }) => {
  await page.goto(tenantUrl('globex', '/sign-in'));
  await expect(page.getByRole('link', { name: 'Create an account' })).toHaveCount(0);
  await page.goto(tenantUrl('globex', '/sign-up'));
  await expect(page.getByText('Globex University does not allow self-registration. Ask an admin to invite you.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create account' })).toHaveCount(0);
  await expectAccessible(page, 'globex sign-up (closed)');
});

test('organisation sign-up with a bad address and a short password shows field errors and creates nothing', async ({ page }) => {
  const id = unique();
  const email = `bad-${id}@example.test`;
  await page.goto(rootUrl('/signup'));
  await page.getByLabel('Organisation name').fill(`Bad Org ${id}`);
  const address = page.getByLabel('Address', { exact: true });
  await address.fill('Bad Slug!');
  await page.getByLabel('Your name').fill('Bea Bad');
  await page.getByLabel('Your email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create organisation' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'Please correct the highlighted fields.' })).toBeVisible();
  await expect(page).toHaveURL(rootUrl('/signup'));
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toHaveAccessibleDescription(/Use lower-case letters, digits and single hyphens/);
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(/Use at least 10 characters\./);
  await expect(page.getByLabel('Organisation name')).not.toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'organisation sign-up with field errors');

  // Nothing was created: the corrected form succeeds with the same email (an account half-made by the
  // failed attempt would demand its password), and the organisation gets the corrected address.
  const slug = `fixed-${id}`;
  await address.fill(slug);
  await expect(page.getByText(`${slug}.${ROOT_DOMAIN} is available.`)).toBeVisible();
  await page.getByLabel('Your name').fill('Bea Bad');
  await page.getByLabel('Your email').fill(email);
  await password.fill('long-enough-password');
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.waitForURL((url) => url.host === `${slug}.${ROOT_DOMAIN}` && url.pathname === '/admin/members');
});

test.describe('logo uploads that are refused', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'acme', 'admin@acme.test', DEMO_PASSWORD, '/admin/branding');
    await expect(page.getByRole('heading', { name: 'Branding', level: 1 })).toBeVisible();
  });

  test('a text file named .png is not an image', async ({ page }) => {
    await expectAccessible(page, 'acme admin branding');
    await page.getByLabel('Logo file').setInputFiles(tempFile('not-really.png', 'This is plain text, not a picture.\n'));
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'not a PNG, JPEG, WebP or SVG' }).first()).toBeVisible();
    await expect(page.getByLabel('Logo file')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('tenant-logo')).toHaveCount(0);
    await expect(page.getByText('No logo yet; your display name is shown instead.')).toBeVisible();
    await expectAccessible(page, 'acme admin branding with an upload error');
  });

  test('a file over 1 MB is flagged as soon as it is chosen, and not used', async ({ page }) => {
    const big = Buffer.alloc(Math.round(1.2 * 1024 * 1024), 0);
    big.write('\x89PNG\r\n\x1a\n', 0, 'binary');
    await page.getByLabel('Logo file').setInputFiles(tempFile('huge.png', big));
    // Shown before anything is sent: the check runs in the browser when the file is chosen.
    await expect(page.getByRole('alert').filter({ hasText: 'This file is 1.2 MB; the limit is 1 MB.' })).toBeVisible();
    await expect(page.getByLabel('Logo file')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'acme admin branding with an oversized file');
    // Upload is disabled while the file is too big; submitting the form anyway (as a script could),
    // the server's own check (awaited here) must not set the logo either.
    await expect(page.getByRole('button', { name: 'Upload logo' })).toBeDisabled();
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['next-action'] !== undefined),
      page.locator('form:has(#f-logo)').evaluate((form) => (form as HTMLFormElement).requestSubmit()),
    ]);
    await expect(page.getByRole('alert').filter({ hasText: 'the limit is 1 MB' }).first()).toBeVisible();
    await expect(page.getByText('Logo updated.')).toHaveCount(0);
    await expect(page.getByTestId('tenant-logo')).toHaveCount(0);
  });
});
