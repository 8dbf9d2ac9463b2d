/**
 * The main journey: a new customer creates an organisation on the root domain, lands on its subdomain
 * signed in, invites a learner by email, the learner accepts in their own browser, and the owner's
 * branding (colour and logo) reaches the learner's pages. Then the owner changes the member's role and
 * removes them, which applies at once. The audit log records each step.
 */
import { expect, test } from '@playwright/test';
import { computedBackground, expectAccessible, expectLandedSignedIn, linkFromMailbox, PNG_1x1, ROOT_DOMAIN, rootUrl, tempFile, tenantUrl, unique } from './helpers';

test('create an organisation, invite a learner, and brand it', async ({ page, browser }) => {
  const id = unique();
  const slug = `e2e-${id}`;
  const orgName = `E2E ${id}`;
  const ownerName = 'Olivia Owner';
  const ownerEmail = `owner-${id}@example.test`;
  const inviteeEmail = `learner-${id}@example.test`;
  const inviteeName = 'Ivan Invitee';
  const inviteePassword = 'invitee-password-1';
  const newPrimary = '#0e7490';

  await test.step('product page on the root domain', async () => {
    await page.goto(rootUrl('/'));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('learning platform');
    await expectAccessible(page, 'the product page');
    await page.getByRole('link', { name: 'Create your organisation' }).first().click();
    await expect(page).toHaveURL(rootUrl('/signup'));
    await expect(page.getByRole('heading', { name: 'Create your organisation', level: 1 })).toBeVisible();
  });

  await test.step('sign-up form checks the address live', async () => {
    await page.getByLabel('Organisation name').fill(orgName);
    const address = page.getByLabel('Address', { exact: true });
    // The address is suggested from the name.
    await expect(address).toHaveValue(slug);
    await expect(page.getByText(`${slug}.${ROOT_DOMAIN} is available.`)).toBeVisible();
    await expectAccessible(page, 'the sign-up form with an available address');

    await address.fill('acme');
    await expect(page.getByText('That address is already taken.')).toBeVisible();
    await expectAccessible(page, 'the sign-up form with a taken address');

    await address.fill(slug);
    await expect(page.getByText(`${slug}.${ROOT_DOMAIN} is available.`)).toBeVisible();
    await page.getByLabel('Your name').fill(ownerName);
    await page.getByLabel('Your email').fill(ownerEmail);
    await page.getByLabel('Password', { exact: true }).fill('owner-password-1');
    await page.getByRole('button', { name: 'Create organisation' }).click();
  });

  await test.step('the owner lands on the new subdomain, signed in', async () => {
    await page.waitForURL((url) => url.host === `${slug}.${ROOT_DOMAIN}` && url.pathname === '/admin/members');
    expect(new URL(page.url()).searchParams.get('welcome')).toBe('1');
    await expect(page.getByText(`Welcome to ${orgName}! Start by inviting your team.`)).toBeVisible();
    await expect(page.getByTestId('tenant-name')).toHaveText(orgName);
    await expect(page.getByTestId('signed-in-as')).toHaveText(ownerName);
    await expect(page.getByTestId('member-row')).toHaveCount(1);
    await expect(page.getByTestId('member-row')).toContainText(ownerEmail);
    await expectAccessible(page, 'admin members with the welcome message');
  });

  await test.step('invite a learner by email', async () => {
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Send invitation' }) });
    await form.getByLabel('Email', { exact: true }).fill(inviteeEmail);
    await form.getByLabel('Role', { exact: true }).selectOption('learner');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByText(`Invitation sent to ${inviteeEmail}.`)).toBeVisible();
    const pending = page.getByRole('listitem').filter({ hasText: inviteeEmail });
    await expect(pending).toContainText('Learner');
    await expectAccessible(page, 'admin members with a pending invitation');
  });

  const inviteLink = await test.step('read the invitation link from the mailbox', async () => {
    const link = await linkFromMailbox(page, slug, { to: inviteeEmail, subject: `invited to ${orgName}`, linkPath: '/invite/' });
    expect(new URL(link).host).toBe(`${slug}.${ROOT_DOMAIN}`);
    return link;
  });

  // The invitee has a browser of their own: nothing of the owner's session is shared.
  const invitee = await browser.newContext();
  const inviteePage = await invitee.newPage();
  try {
    await test.step('the invitee accepts in their own browser', async () => {
      await inviteePage.goto(inviteLink);
      await expect(inviteePage.getByRole('heading', { name: `Join ${orgName}`, level: 1 })).toBeVisible();
      await expect(inviteePage.getByText(`You were invited as Learner with ${inviteeEmail}.`)).toBeVisible();
      await expect(inviteePage.getByLabel('Email', { exact: true })).toHaveValue(inviteeEmail);
      await expectAccessible(inviteePage, 'the invitation page');
      await inviteePage.getByLabel('Your name').fill(inviteeName);
      await inviteePage.getByLabel('Choose a password').fill(inviteePassword);
      await inviteePage.getByRole('button', { name: 'Accept invitation' }).click();

      await expectLandedSignedIn(inviteePage, slug, inviteeName);
      await inviteePage.reload();
      await expect(inviteePage.getByRole('heading', { name: `Hello, ${inviteeName}`, level: 1 })).toBeVisible();
      await expect(inviteePage.getByTestId('signed-in-as')).toHaveText(inviteeName);
      await expect(inviteePage.getByText('Learner', { exact: true })).toBeVisible();
      // A learner is not offered the admin area.
      await expect(inviteePage.getByRole('link', { name: 'Admin' })).toHaveCount(0);
      await expectAccessible(inviteePage, 'the learner home');
    });

    await test.step('the owner sees the new member', async () => {
      await page.goto(tenantUrl(slug, '/admin/members'));
      const row = page.getByTestId('member-row').filter({ hasText: inviteeEmail });
      await expect(row).toContainText(inviteeName);
      await expect(row.getByLabel(`Role for ${inviteeName}`)).toHaveValue('learner');
      await expect(page.getByRole('listitem').filter({ hasText: inviteeEmail })).toHaveCount(0);
    });

    await test.step('the owner changes the primary colour and uploads a logo', async () => {
      await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Branding' }).click();
      await expect(page.getByRole('heading', { name: 'Branding', level: 1 })).toBeVisible();
      await expectAccessible(page, 'admin branding');

      // A pale primary colour is flagged live as hard to read on white; a dark one is not.
      const primary = page.getByLabel('Primary colour', { exact: true });
      await primary.fill('#facc15');
      await expect(page.getByTestId('contrast-warnings')).toContainText('The primary colour has a contrast of');
      await primary.fill(newPrimary);
      await expect(page.getByTestId('contrast-warnings')).toHaveCount(0);
      await page.getByRole('button', { name: 'Save branding' }).click();
      await expect(page.getByText('Branding saved.')).toBeVisible();
      await expect(page.getByLabel('Primary colour', { exact: true })).toHaveValue(newPrimary);

      await page.getByLabel('Logo file').setInputFiles(tempFile('logo.png', PNG_1x1));
      await page.getByRole('button', { name: 'Upload logo' }).click();
      await expect(page.getByText('Logo updated.')).toBeVisible();
      await expect(page.getByRole('img', { name: 'Current logo' })).toBeVisible();
      await expect(page.getByTestId('tenant-logo')).toBeVisible();
      await expectAccessible(page, 'admin branding with a logo');
    });

    await test.step("the invitee's pages show the new brand", async () => {
      await inviteePage.reload();
      const logo = inviteePage.getByTestId('tenant-logo');
      await expect(logo).toBeVisible();
      // The image really loaded (a broken src would have naturalWidth 0).
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
      const wrapper = inviteePage.locator(`[data-tenant="${slug}"]`);
      await expect.poll(() => wrapper.evaluate((el) => getComputedStyle(el).getPropertyValue('--brand-primary').trim())).toBe(newPrimary);
      const expected = await computedBackground(inviteePage, newPrimary);
      const header = inviteePage.locator('header').first();
      await expect.poll(() => header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(expected);
      await expectAccessible(inviteePage, 'the learner home with the new brand');
    });

    await test.step('the owner makes the invitee an instructor; it applies at once', async () => {
      await page.goto(tenantUrl(slug, '/admin/members'));
      const select = page.getByTestId('member-row').filter({ hasText: inviteeEmail }).getByLabel(`Role for ${inviteeName}`);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.request().headers()['next-action'] !== undefined),
        select.selectOption('instructor'),
      ]);
      await page.reload();
      await expect(page.getByTestId('member-row').filter({ hasText: inviteeEmail }).getByLabel(`Role for ${inviteeName}`)).toHaveValue('instructor');
      await inviteePage.reload();
      await expect(inviteePage.getByText('Instructor', { exact: true })).toBeVisible();
    });

    await test.step('the owner removes the invitee, who loses access at once', async () => {
      const row = page.getByTestId('member-row').filter({ hasText: inviteeEmail });
      await row.getByRole('button', { name: 'Remove' }).click();
      const dialog = page.getByRole('dialog', { name: `Remove ${inviteeName}?` });
      await expect(dialog).toBeVisible();
      await expectAccessible(page, 'the remove-member confirmation dialog');
      // Cancel first: nothing happens.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
      await expect(row).toHaveCount(1);
      await row.getByRole('button', { name: 'Remove' }).click();
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('member-row').filter({ hasText: inviteeEmail })).toHaveCount(0);
      await expect(page.getByTestId('member-row')).toHaveCount(1);

      await inviteePage.reload();
      await expect(inviteePage.getByRole('heading', { name: `Welcome to ${orgName}`, level: 1 })).toBeVisible();
      await expect(inviteePage.getByTestId('signed-in-as')).toHaveCount(0);
    });
  } finally {
    await invitee.close();
  }

  await test.step('the audit log records the invitation, the acceptance, the branding and the member changes', async () => {
    await page.goto(tenantUrl(slug, '/admin/audit'));
    await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
    const rows = page.getByTestId('audit-row');
    await expect(rows.filter({ hasText: 'organisation.created' })).toContainText(orgName);
    const invited = rows.filter({ hasText: 'member.invited' });
    await expect(invited).toContainText(inviteeEmail);
    await expect(invited).toContainText(ownerEmail);
    const accepted = rows.filter({ hasText: 'invitation.accepted' });
    await expect(accepted).toContainText(inviteeEmail);
    await expect(accepted).toContainText(inviteeName);
    const branded = rows.filter({ hasText: 'branding.updated' });
    await expect(branded).toContainText(`primaryColor: ${newPrimary}`);
    await expect(branded).toContainText(ownerEmail);
    await expect(rows.filter({ hasText: 'branding.logo_changed' })).toContainText('contentType: image/png');
    const roleChanged = rows.filter({ hasText: 'member.role_changed' });
    await expect(roleChanged).toContainText(inviteeEmail);
    await expect(roleChanged).toContainText('role: learner');
    await expect(roleChanged).toContainText('role: instructor');
    await expect(rows.filter({ hasText: 'member.removed' })).toContainText(inviteeEmail);
    await expectAccessible(page, 'the audit log');
  });
});
