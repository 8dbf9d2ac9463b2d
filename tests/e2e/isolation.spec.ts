/**
 * Organisations are separate worlds: an account of one cannot sign in to another, sessions do not
 * cross subdomains, roles gate the admin area, and addresses that are no organisation say so.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible, expectLandedSignedIn, rootUrl, signIn, tenantUrl } from './helpers';

const ACME_LEARNER = 'learner1@acme.test';
const ACME_LEARNER_NAME = 'Elif Tanaka';

test('an acme learner signs in on acme', async ({ page }) => {
  await page.goto(tenantUrl('acme', '/'));
  await expect(page.getByRole('heading', { name: 'Welcome to Acme Academy', level: 1 })).toBeVisible();
  await expectAccessible(page, 'the signed-out acme home');
  await page.goto(tenantUrl('acme', '/sign-in'));
  await expect(page.getByRole('heading', { name: 'Sign in to Acme Academy', level: 1 })).toBeVisible();
  await expectAccessible(page, 'acme sign-in');
  await page.getByLabel('Email', { exact: true }).fill(ACME_LEARNER);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectLandedSignedIn(page, 'acme', ACME_LEARNER_NAME);
  // However the redirect rendered, a fresh load of the home page shows the signed-in learner.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Hello, ${ACME_LEARNER_NAME}`, level: 1 })).toBeVisible();
  await expect(page.getByTestId('tenant-name')).toHaveText('Acme Academy');
  await expect(page.getByTestId('signed-in-as')).toHaveText(ACME_LEARNER_NAME);
  await expectAccessible(page, 'the acme learner home');
});

test('acme credentials are refused on globex', async ({ page }) => {
  await page.goto(tenantUrl('globex', '/sign-in'));
  await expect(page.getByRole('heading', { name: 'Sign in to Globex University', level: 1 })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(ACME_LEARNER);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That email and password do not match an account in this organisation.' })).toBeVisible();
  await expect(page).toHaveURL(/\/\/globex\.localhost:\d+\/sign-in/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await expectAccessible(page, 'globex sign-in with an error');
});

test('an acme session does not carry over to globex', async ({ page }) => {
  await signIn(page, 'acme', ACME_LEARNER);
  await page.goto(tenantUrl('globex', '/admin'));
  await expect(page).toHaveURL(tenantUrl('globex', '/sign-in?callbackUrl=%2Fadmin'));
  await expect(page.getByRole('heading', { name: 'Sign in to Globex University', level: 1 })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await page.goto(tenantUrl('globex', '/'));
  await expect(page.getByRole('heading', { name: 'Welcome to Globex University', level: 1 })).toBeVisible();
  await expectAccessible(page, 'the signed-out globex home');
  // Still signed in on acme.
  await page.goto(tenantUrl('acme', '/'));
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
});

test('a learner visiting acme /admin gets the 403 page', async ({ page }) => {
  await signIn(page, 'acme', ACME_LEARNER);
  const res = await page.goto(tenantUrl('acme', '/admin'));
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You do not have access to this page', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);
  await expectAccessible(page, 'the 403 page');
  const members = await page.goto(tenantUrl('acme', '/admin/members'));
  expect(members?.status()).toBe(403);
  await expect(page.getByTestId('member-row')).toHaveCount(0);
});

test('an unknown subdomain has no organisation', async ({ page }) => {
  const res = await page.goto(`http://nope-xyz.localhost:${new URL(rootUrl()).port}/`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No organisation lives here', level: 1 })).toBeVisible();
  await expect(page.getByText('nope-xyz.localhost')).toBeVisible();
  await expectAccessible(page, 'the no-organisation 404 page');
  const signInPage = await page.goto(`http://nope-xyz.localhost:${new URL(rootUrl()).port}/sign-in`);
  expect(signInPage?.status()).toBe(404);
});

test('an unknown page of a real organisation is a missing page, not a missing organisation', async ({ page }) => {
  const res = await page.goto(tenantUrl('acme', '/does-not-exist'));
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page', level: 1 })).toBeVisible();
  await expect(page.getByText('There is no Lectern organisation')).toHaveCount(0);
  await expectAccessible(page, 'the 404 page inside acme');
});

test('a reserved subdomain is not an organisation', async ({ page }) => {
  const res = await page.goto(`http://api.localhost:${new URL(rootUrl()).port}/`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No organisation lives here', level: 1 })).toBeVisible();
  await expectAccessible(page, 'the reserved-subdomain 404 page');
});

test('the internal tenant route is not reachable from the root domain', async ({ page }) => {
  const res = await page.goto(rootUrl('/t/acme/admin'));
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page', level: 1 })).toBeVisible();
  await expect(page.getByTestId('member-row')).toHaveCount(0);
  await expectAccessible(page, 'the root-domain 404 page');
  const signIn = await page.goto(rootUrl('/t/acme/sign-in'));
  expect(signIn?.status()).toBe(404);
});
