/**
 * Shared helpers for the browser tests: addresses on the root domain and organisation subdomains,
 * sign-in, the dev mailbox, throwaway upload files and the accessibility check run on every page.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const ROOT_DOMAIN = `localhost:${PORT}`;
export const DEMO_PASSWORD = 'lectern-demo';

/** http://localhost:3100/path — the product page and organisation sign-up. */
export function rootUrl(pathname = '/'): string {
  return `http://${ROOT_DOMAIN}${pathname}`;
}

/** http://<slug>.localhost:3100/path — an organisation's own address (Chromium resolves *.localhost). */
export function tenantUrl(slug: string, pathname = '/'): string {
  return `http://${slug}.${ROOT_DOMAIN}${pathname}`;
}

/** A short random suffix so slugs and emails do not collide when the suite runs again on one database. */
export function unique(): string {
  return `${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Fail the test on any axe violation of impact 'serious' or 'critical' on the page as it is now. Nothing is
 * disabled; only Next's dev overlay (absent under `next start`) is excluded.
 */
export async function expectAccessible(page: Page, what?: string): Promise<void> {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page }).exclude('nextjs-portal').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`)
    .join('\n');
  // Soft: the test goes on to check what else the page does, and is still marked failed.
  expect.soft(serious, `axe found serious/critical violations on ${what ?? page.url()}:\n${report}`).toEqual([]);
}

/**
 * Sign in on an organisation's /sign-in page as a precondition of a test: submit the form, wait until
 * the browser leaves /sign-in, then open `then` (default: the home page) and check the member is
 * signed in there. What the browser shows straight after the redirect is asserted by the sign-in tests
 * themselves (see isolation.spec.ts), not here, so one defect there does not hide every other test.
 */
export async function signIn(page: Page, slug: string, email: string, password = DEMO_PASSWORD, then = '/'): Promise<void> {
  await page.goto(tenantUrl(slug, '/sign-in'));
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.host === `${slug}.${ROOT_DOMAIN}` && url.pathname !== '/sign-in');
  await page.goto(tenantUrl(slug, then));
  await expect(page.getByTestId('signed-in-as'), `${email} is signed in on ${slug}`).toBeVisible();
}

/**
 * What the browser shows right after a form signs someone in and redirects to the organisation's home:
 * the URL, the member's greeting and name in the header, on the organisation's own page (not the
 * product page). Soft, so the journey goes on; the test is still marked failed.
 */
export async function expectLandedSignedIn(page: Page, slug: string, name: string | RegExp): Promise<void> {
  await page.waitForURL(tenantUrl(slug, '/'));
  const greeting = typeof name === 'string' ? `Hello, ${name}` : new RegExp(`^Hello, ${name.source}`);
  await expect.soft(page.getByRole('heading', { name: greeting, level: 1 }), 'the member home right after the sign-in redirect').toBeVisible({ timeout: 5000 });
  // The page has rendered by now; no need to wait the full timeout again for each part of it.
  await expect.soft(page.getByTestId('signed-in-as'), 'the header right after the sign-in redirect').toHaveText(name, { timeout: 1000 });
  await expect.soft(page.locator(`[data-tenant="${slug}"]`), 'the organisation layout right after the sign-in redirect').toHaveCount(1, { timeout: 1000 });
}

/**
 * Open the organisation's dev mailbox (the page must be signed in as an admin there), find the newest
 * mail to `to` whose subject contains `subject`, and return the first link in its body that contains
 * `linkPath`.
 */
export async function linkFromMailbox(page: Page, slug: string, opts: { to: string; subject: string; linkPath: string }): Promise<string> {
  if (page.url() !== tenantUrl(slug, '/admin/mailbox')) await page.goto(tenantUrl(slug, '/admin/mailbox'));
  await expect(page.getByRole('heading', { name: 'Mailbox', level: 1 })).toBeVisible();
  const mail = page.getByTestId('mail-item').filter({ hasText: opts.to }).filter({ hasText: opts.subject }).first();
  await expect(mail).toBeVisible();
  await mail.locator('summary').click();
  const body = mail.locator('pre');
  await expect(body).toBeVisible();
  await expectAccessible(page, 'the admin mailbox with a mail opened');
  const text = await body.innerText();
  const links = text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const link = links.find((l) => l.includes(opts.linkPath));
  expect(link, `a link containing ${opts.linkPath} in the mail body:\n${text}`).toBeTruthy();
  return link!;
}

/** A file for upload fields, kept with the other test output (test-results/, ignored by git). */
export function tempFile(name: string, content: Buffer | string): string {
  const base = path.join(process.cwd(), 'test-results', 'uploads');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'f-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A genuine 1×1 PNG. */
export const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** What the browser computes for `color` as a background (so comparisons do not depend on notation). */
export async function computedBackground(page: Page, color: string): Promise<string> {
  return page.evaluate((c) => {
    const probe = document.createElement('div');
    probe.style.backgroundColor = c;
    document.body.appendChild(probe);
    const value = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return value;
  }, color);
}
