/**
 * Bulk import as an admin does it: upload a people file with one bad row, read the problem in the preview,
 * import the rest, watch the progress bar reach the end, find the new member on the Members page; the same
 * file again shows every row unchanged.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';

type File = { name: string; mimeType: string; buffer: Buffer };

async function upload(page: Page, file: File) {
  await page.goto(tenantUrl('acme', '/admin/import'));
  await expect(page.getByRole('heading', { name: 'Import from CSV', level: 1 })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'People' })).toBeChecked();
  await expectAccessible(page, 'import upload');
  await page.screenshot({ path: 'test-results/import-upload.png', fullPage: true });
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible();
}

test('an admin imports people from CSV: problems first, then progress and the result; the same file again changes nothing', async ({ page }) => {
  const id = unique();
  const email = `imported-${id}@example.test`;
  const file = { name: `people-${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`email,name,role\r\n${email},Imported Person ${id},learner\r\nnot-an-email,Bad Row,learner\r\n`) };
  await signIn(page, 'acme', 'owner@acme.test');
  await upload(page, file);
  const problems = page.getByTestId('import-problems');
  await expect(problems.getByRole('row').nth(1)).toContainText('3');
  await expect(problems).toContainText('“not-an-email” is not a valid email address.');
  await expect(page.getByText('Will be created').locator('..')).toContainText('1');
  await expect(page.getByRole('link', { name: 'Download all problems (CSV)' })).toBeVisible();
  await expectAccessible(page, 'import preview');
  await page.screenshot({ path: 'test-results/import-preview.png', fullPage: true });

  await page.getByRole('button', { name: 'Import 1 row' }).click();
  const bar = page.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 20_000 });
  await expect(page.getByText('Import finished: 1 created, 0 updated, 0 unchanged, 0 failed.')).toBeVisible();
  await expectAccessible(page, 'import result');
  await page.screenshot({ path: 'test-results/import-result.png', fullPage: true });

  await page.getByRole('link', { name: 'See the members' }).click();
  await page.getByLabel('Search').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: email })).toContainText(`Imported Person ${id}`);

  await upload(page, file);
  await expect(page.getByText('Unchanged', { exact: true }).locator('..')).toContainText('1');
  await expect(page.getByText('Will be created').locator('..')).toContainText('0');
  await expect(page.getByText('Nothing to import: every valid row is already up to date.')).toBeVisible();
  await expect(page.getByText(/This same file was imported on/)).toBeVisible();
  await page.getByRole('link', { name: 'All imports' }).click();
  await expect(page.getByTestId('import-row').first()).toContainText('Checked, not imported');
  await expect(page.getByTestId('import-row').nth(1)).toContainText('1 created');
  await page.screenshot({ path: 'test-results/import-list.png', fullPage: true });
});
