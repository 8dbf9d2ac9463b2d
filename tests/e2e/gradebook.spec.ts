/**
 * The gradebook end to end: an instructor sets up two weighted categories, overrides a grade with a reason
 * and sees its history, downloads the CSV export (formula-looking cells escaped), imports grades with a
 * preview and a confirm; a learner sees only their own released grades and never the staff gradebook.
 * The course, its gradable items and the first grades are set up in the database: the assignment kind
 * has no authoring page yet, and quiz attempts are covered by quiz.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';
import { e2eDatabaseUrl } from './server-info';

const u = unique();
const slug = `gradebook-${u}`;
const INSTRUCTOR = 'instructor2@acme.test';
const LEARNER_A = 'learner3@acme.test';
const LEARNER_B = 'learner4@acme.test';
const items = { quiz1: randomUUID(), quiz2: randomUUID(), essay: randomUUID() };

test.describe('the gradebook', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      const [tenant] = await sql<{ id: string }[]>`select id from tenants where slug = 'acme'`;
      const t = tenant!.id;
      const [course] = await sql<{ id: string }[]>`
        insert into courses (tenant_id, slug, title, status, published_at) values (${t}, ${slug}, ${`Gradebook ${u}`}, 'published', now()) returning id`;
      const c = course!.id;
      const people = await sql<{ id: string; email: string }[]>`select id, email from users where email in (${INSTRUCTOR}, ${LEARNER_A}, ${LEARNER_B})`;
      const id = (email: string) => people.find((p) => p.email === email)!.id;
      await sql`insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at) values
        (${t}, ${c}, ${id(INSTRUCTOR)}, 'instructor', 'active', now()),
        (${t}, ${c}, ${id(LEARNER_A)}, 'learner', 'active', now()),
        (${t}, ${c}, ${id(LEARNER_B)}, 'learner', 'active', now())`;
      const [mod] = await sql<{ id: string }[]>`insert into course_modules (tenant_id, course_id, title, position) values (${t}, ${c}, 'Week 1', 0) returning id`;
      await sql`insert into course_items (tenant_id, id, course_id, module_id, kind, title, position, content) values
        (${t}, ${items.quiz1}, ${c}, ${mod!.id}, 'quiz', 'Quiz 1', 0, '{}'),
        (${t}, ${items.quiz2}, ${c}, ${mod!.id}, 'quiz', 'Quiz 2', 1, '{}'),
        (${t}, ${items.essay}, ${c}, ${mod!.id}, 'assignment', 'Essay', 2, '{"pointsPossible": 20}')`;
      const enrolments = await sql<{ id: string; email: string }[]>`
        select e.id, u.email from enrolments e join users u on u.id = e.user_id where e.course_id = ${c} and e.role = 'learner'`;
      const en = (email: string) => enrolments.find((e) => e.email === email)!.id;
      // A: quizzes 8/10 and 6/10, essay 12/20 not released yet. B: quiz 1 9/10.
      await sql`insert into grades (tenant_id, item_id, enrolment_id, raw_score, score, points_possible, released_at) values
        (${t}, ${items.quiz1}, ${en(LEARNER_A)}, 8, 8, 10, now()),
        (${t}, ${items.quiz2}, ${en(LEARNER_A)}, 6, 6, 10, now()),
        (${t}, ${items.essay}, ${en(LEARNER_A)}, 12, 12, 20, null),
        (${t}, ${items.quiz1}, ${en(LEARNER_B)}, 9, 9, 10, now())`;
    } finally {
      await sql.end();
    }
  });

  test('an instructor sets up two weighted categories', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/gradebook/settings`);
    await expect(page.getByRole('heading', { name: 'Gradebook settings', level: 2 })).toBeVisible();
    for (const [name, weight] of [
      ['Quizzes', '40'],
      ['Essays', '60'],
    ] as const) {
      const form = page.getByRole('region', { name: 'Add a category' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Weight (%)').fill(weight);
      await form.getByRole('button', { name: 'Add category' }).click();
      await expect(page.getByTestId('category').filter({ has: page.locator(`input[value="${name}"]`) })).toBeVisible();
    }
    await expect(page.getByTestId('weight-sum')).toHaveText('Weights add up to 100 %.');
    await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: 'uncategorised' })).toBeVisible();
    await page.getByLabel('Category for Quiz 1').selectOption({ label: 'Quizzes' });
    await page.getByLabel('Category for Quiz 2').selectOption({ label: 'Quizzes' });
    await page.getByLabel('Category for Essay').selectOption({ label: 'Essays' });
    await page.getByRole('button', { name: 'Save categories' }).click();
    await expect(page.getByText('3 items moved.')).toBeVisible();
    await expectAccessible(page, 'gradebook settings');
    await page.screenshot({ path: 'test-results/gradebook-settings.png', fullPage: true });
  });

  test('an override needs a reason, changes the total and shows in the history', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/gradebook`);
    const rowA = page.getByTestId('gradebook-row').filter({ hasText: LEARNER_A });
    // Quizzes 14/20 = 70 %, essay 12/20 = 60 % → 0.4·70 + 0.6·60 = 64 %.
    await expect(rowA.getByRole('cell').nth(-2)).toHaveText('64.00 %');
    await expectAccessible(page, 'gradebook');
    await page.screenshot({ path: 'test-results/gradebook.png', fullPage: true });

    await rowA.getByRole('button', { name: /Essay/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Essay' });
    await expect(dialog.getByText('Not released yet')).toBeVisible();
    await dialog.getByLabel('Override score').fill('18');
    await dialog.getByLabel('Reason').fill(`Regraded after appeal ${u}`);
    await dialog.getByRole('button', { name: 'Save override' }).click();
    await expect(dialog.getByText('Override saved.')).toBeVisible();
    const history = dialog.getByTestId('cell-history');
    await expect(history.getByRole('listitem').first()).toContainText('12 → 18');
    await expect(history.getByRole('listitem').first()).toContainText(`Regraded after appeal ${u}`);
    await expect(history.getByRole('listitem').first()).toContainText('override');
    await expectAccessible(page, 'cell editor');
    await page.screenshot({ path: 'test-results/gradebook-cell.png' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    // 0.4·70 + 0.6·90 = 82 %.
    await expect(rowA.getByRole('cell').nth(-2)).toHaveText('82.00 %');
    await expect(rowA.getByRole('button', { name: /Essay: 18\. overridden/ })).toBeVisible();
  });

  test('the export downloads as CSV', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/gradebook`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${slug}-grades.csv`);
    const csv = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header).toBe('Name,Email,Quiz 1,Quiz 2,Essay,Quizzes %,Essays %,Total %,Letter');
    expect(rows.find((r) => r.includes(LEARNER_A))).toMatch(/,8,6,18,70,90,82,B-$/);
  });

  test('an import previews its changes and writes them only when confirmed', async ({ page }) => {
    await signIn(page, 'acme', INSTRUCTOR, undefined, `/teach/${slug}/gradebook/import`);
    const file = `email,Quiz 2,Essay,Notes\n${LEARNER_B},7,EX,hello\n${LEARNER_A},6,abc,\nnobody@acme.test,1,1,\n`;
    await page.getByLabel('CSV file').setInputFiles({ name: 'grades.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await expect(page.getByRole('heading', { name: 'Preview of grades.csv' })).toBeVisible();
    const changes = page.getByTestId('import-changes');
    await expect(changes.getByRole('row')).toHaveCount(3); // header + 2 changes
    await expect(changes).toContainText('– → 7');
    await expect(changes).toContainText('– → EX');
    await expect(page.getByTestId('import-errors')).toContainText('“abc” is not a number.');
    await expect(page.getByTestId('import-errors')).toContainText('No active learner of this course has this email.');
    await expect(page.getByText('Unknown columns, ignored: Notes')).toBeVisible();
    await expectAccessible(page, 'import preview');
    await page.screenshot({ path: 'test-results/gradebook-import.png', fullPage: true });
    await page.getByRole('button', { name: 'Import 2 changes' }).click();
    await expect(page.getByText('2 grades changed; 2 problems skipped.')).toBeVisible();

    await page.goto(`/teach/${slug}/gradebook`);
    const rowB = page.getByTestId('gradebook-row').filter({ hasText: LEARNER_B });
    await expect(rowB.getByRole('button', { name: /Quiz 2: 7\. overridden/ })).toBeVisible();
    await expect(rowB.getByRole('button', { name: /Essay: EX/ })).toBeVisible();
  });

  test('a learner sees only their own released grades and not the staff gradebook', async ({ page }) => {
    await signIn(page, 'acme', LEARNER_A, undefined, `/learn/${slug}/grades`);
    await expect(page.getByRole('heading', { name: 'My grades', level: 1 })).toBeVisible();
    // The essay override is not released: the learner's total is the quizzes alone (70 %).
    await expect(page.getByTestId('my-total')).toHaveText('70.00 %');
    await expect(page.getByRole('row', { name: /Essay/ })).toContainText('Not released yet');
    await expect(page.getByText(LEARNER_B)).toHaveCount(0);
    await expectAccessible(page, 'my grades');
    await page.screenshot({ path: 'test-results/my-grades.png', fullPage: true });
    const staff = await page.goto(tenantUrl('acme', `/teach/${slug}/gradebook`));
    expect([403, 404]).toContain(staff!.status());
    // From the browser (Node's request context cannot resolve *.localhost).
    const exported = await page.evaluate(async (url) => (await fetch(url)).status, `/teach/${slug}/gradebook/export`);
    expect([403, 404]).toContain(exported);
  });
});
