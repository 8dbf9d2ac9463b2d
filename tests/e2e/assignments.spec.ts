/**
 * Assignments end to end: an instructor adds an assignment with a two-criterion rubric to a fresh course
 * (a rubric mistake is refused with a message naming it, and nothing typed is lost) and publishes; two
 * learners hand in (text and a PDF; text only); the instructor grades both with the rubric beside the
 * submission, moving to the next learner with the keyboard, and releases; only then does a learner see
 * the grade, the chosen levels and the comment.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, unique } from './helpers';

const u = unique();
const course = { title: `Essay Lab ${u}`, slug: '' };
const MODULE = 'Week 1';
const TITLE = 'Persuasive essay';
const PDF = path.join(import.meta.dirname, '..', '..', 'db', 'seed-assets', 'course-notes.pdf');
// Seeded learners (db/seed.ts): learner18 is Ben Hopper, learner19 Chloé Papadakis; Ben comes first by name.
const BEN = { email: 'learner18@acme.test', name: 'Ben Hopper', text: `Cities should plant more trees ${u}` };
const CHLOE = { email: 'learner19@acme.test', name: 'Chloé Papadakis', text: `Libraries matter ${u}` };
const COMMENT = `Clear claim, the style needs work ${u}`;

let itemUrl = '';
const shot = (page: Page, name: string) => page.screenshot({ path: path.join('test-results', 'assignments', `${name}.png`), fullPage: true });

async function handIn(page: Page, who: { email: string; text: string }, file?: string) {
  await signIn(page, 'acme', who.email, undefined, `/courses/${course.slug}`);
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  await page.waitForURL(new RegExp(`/learn/${course.slug}/[0-9a-f-]{36}$`));
  itemUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { name: TITLE, level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'About this assignment' })).toContainText('10 points');
  await expect(page.getByRole('region', { name: 'Rubric' })).toContainText('Strong · 6 pts');
  const form = page.getByTestId('submission-form');
  const editor = form.getByRole('textbox', { name: 'Your text' });
  await editor.click();
  await page.keyboard.type(who.text);
  if (file) {
    await form.getByLabel('Files (up to 5)').setInputFiles(file);
    await expect(form.getByRole('list', { name: 'Attached files' })).toContainText('course-notes.pdf');
  }
  await form.getByRole('button', { name: 'Hand in', exact: true }).click();
  await expect(page.getByText('Handed in: version 1.')).toBeVisible();
  const versions = page.getByTestId('my-version');
  await expect(versions).toHaveCount(1);
  await expect(versions.first()).toContainText(who.text);
  await expect(versions.first()).toContainText('On time');
  if (file) await expect(versions.first().getByRole('link', { name: 'course-notes.pdf' })).toBeVisible();
  await expect(page.getByTestId('my-grade'), 'no grade before release').toHaveCount(0);
  await expect(page.getByText('You completed this item.')).toBeVisible();
}

test.describe('an assignment from the outline to a released grade', () => {
  test.describe.configure({ mode: 'serial' });

  test('an instructor adds an assignment with a rubric and publishes', async ({ page }) => {
    await signIn(page, 'acme', 'instructor2@acme.test', undefined, '/teach/new');
    await page.getByLabel('Course title').fill(course.title);
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.waitForURL(/\/teach\/[a-z0-9-]+\?created=1$/);
    course.slug = new URL(page.url()).pathname.split('/')[2]!;
    await page.goto(`/teach/${course.slug}/outline`);
    await page.getByLabel('First module').fill(MODULE);
    await page.getByRole('button', { name: 'Add module' }).click();
    await expect(page.getByTestId('outline-module').getByRole('heading', { name: MODULE, level: 3 })).toBeVisible();

    await page.getByRole('button', { name: `Add an assignment to “${MODULE}”` }).click();
    const form = page.getByTestId('item-form');
    await form.getByLabel('Title', { exact: true }).fill(TITLE);
    const instructions = form.getByRole('textbox', { name: 'Instructions' });
    await instructions.click();
    await page.keyboard.type('Argue for one change to your town in 500 words.');
    await form.getByLabel('Files', { exact: true }).check();
    await expect(form.getByLabel('Text', { exact: true })).toBeChecked();

    await test.step('a rubric: Argument (6 / 2) and Style (4 / 1)', async () => {
      const rubric = form.getByTestId('rubric-editor');
      const criteria = [
        { title: 'Argument', levels: [['Strong', '6'], ['Weak', '2']] },
        { title: 'Style', levels: [['Clear', '4'], ['Muddled', '1']] },
      ];
      for (const [i, c] of criteria.entries()) {
        const n = i + 1;
        await rubric.getByRole('button', { name: 'Add criterion', exact: true }).click();
        await rubric.getByLabel(`Criterion ${n} title`).fill(c.title);
        for (const [k, [title, points]] of c.levels.entries()) {
          if (k > 0) await rubric.getByRole('button', { name: `Add level to criterion ${n}` }).click();
          await rubric.getByLabel(`Criterion ${n}, level ${k + 1} title`).fill(title!);
          await rubric.getByLabel(`Criterion ${n}, level ${k + 1} points`).fill(points!);
        }
      }
      await expect(form.getByTestId('rubric-total')).toHaveText(/^10 points/);
    });

    await test.step('a level without a title is refused by name; nothing typed is lost', async () => {
      await form.getByTestId('rubric-editor').getByRole('button', { name: 'Add criterion', exact: true }).click();
      await form.getByLabel('Criterion 3 title').fill('Sources');
      await form.getByRole('button', { name: 'Add assignment', exact: true }).click();
      await expect(form.getByText('Level 1 of criterion 3 needs a title.')).toBeVisible();
      await expect(form.getByLabel('Title', { exact: true })).toHaveValue(TITLE);
      await expect(form.getByLabel('Criterion 2, level 2 title')).toHaveValue('Muddled');
      await expect(form.getByLabel('Files', { exact: true })).toBeChecked();
      await expect(instructions).toContainText('Argue for one change');
      await expectAccessible(page, 'the assignment form with a rubric error');
      await shot(page, '1-form-error');
      await form.getByRole('button', { name: 'Remove criterion 3' }).click();
      await form.getByRole('button', { name: 'Add assignment', exact: true }).click();
      await expect(form).toBeHidden();
      await expect(page.locator(`[data-testid="outline-item"][data-item-title="${TITLE}"]`)).toContainText('Rubric of 2 criteria · 10 points');
    });

    await page.goto(`/teach/${course.slug}`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Publish “${course.title}”?` });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByText('The course is published and listed in the catalogue.')).toBeVisible();
  });

  test('a learner hands in text and a PDF', async ({ page }) => {
    await handIn(page, BEN, PDF);
    await expectAccessible(page, 'the assignment after handing in');
    await shot(page, '2-learner-submitted');
  });

  test('a second learner hands in text', async ({ page }) => {
    await handIn(page, CHLOE);
  });

  test('the instructor grades both with the rubric, moving on by keyboard, and releases', async ({ page }) => {
    await signIn(page, 'acme', 'instructor2@acme.test', undefined, `/teach/${course.slug}/grading`);
    const waiting = page.getByTestId('assignment-waiting');
    await expect(waiting).toHaveCount(2);
    await expectAccessible(page, 'the grading queue with assignments');
    await waiting.filter({ hasText: BEN.name }).getByRole('link', { name: `Grade ${TITLE} by ${BEN.name}` }).click();
    await expect(page.getByTestId('grading-learner')).toHaveText(BEN.name);
    const shown = page.getByTestId('submission-shown');
    await expect(shown).toContainText(BEN.text);
    await expect(shown.getByRole('link', { name: 'course-notes.pdf' })).toBeVisible();
    await expect(page.getByText(/Keys: j or Alt\+→ next learner/)).toBeVisible();

    const total = page.getByTestId('grader-total');
    await expect(total).toContainText('choose a level for every criterion');
    await page.getByText('Strong (6 pts)').click();
    await page.getByText('Muddled (1 pt)').click();
    await expect(total).toContainText('Total: 7 / 10');
    const comment = page.getByLabel('Overall comment (optional)');
    await comment.fill(COMMENT);
    // Typing j in a text box is typing, not "next learner".
    await comment.press('End');
    await page.keyboard.type(' j');
    await expect(comment).toHaveValue(`${COMMENT} j`);
    await comment.fill(COMMENT);
    expect(page.url()).toContain(`/${course.slug}/grading/assignments/`);
    await expectAccessible(page, 'the grading page');
    await shot(page, '3-grader');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Grade saved. Learners see it once grades are released.')).toBeVisible();
    await expect(page.getByText('Graded – hidden')).toBeVisible();

    await page.locator('body').press('j');
    await expect(page.getByTestId('grading-learner')).toHaveText(CHLOE.name);
    await expect(page.getByTestId('submission-shown')).toContainText(CHLOE.text);
    await expect(page.getByTestId('grader-total')).toContainText('choose a level for every criterion');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Choose a level for criterion 1 (“Argument”).').first()).toBeVisible();
    await page.getByText('Weak (2 pts)').click();
    await page.getByText('Clear (4 pts)').click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Grade saved. Learners see it once grades are released.')).toBeVisible();
    await page.locator('body').press('Alt+ArrowLeft');
    await expect(page.getByTestId('grading-learner')).toHaveText(BEN.name);
    await expect(page.getByTestId('grader-total')).toContainText('Total: 7 / 10');

    await page.getByRole('button', { name: `Release grades of ${TITLE}` }).click();
    const dialog = page.getByRole('dialog', { name: `Release grades of “${TITLE}”?` });
    await expect(dialog).toContainText('Learners with a grade will see');
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('2 grades released.')).toBeVisible();
    await page.getByRole('link', { name: `All learners of ${TITLE}` }).click();
    await expect(page.getByTestId('learner-row').filter({ hasText: 'Released' })).toHaveCount(2);
    await expectAccessible(page, 'the assignment learners page');
    await shot(page, '4-learners');
  });

  test('the learner sees the released grade, the chosen levels and the comment', async ({ page }) => {
    await signIn(page, 'acme', BEN.email, undefined, itemUrl);
    const grade = page.getByTestId('my-grade');
    await expect(grade).toBeVisible();
    await expect(page.getByTestId('my-score')).toHaveText('7 / 10');
    await expect(page.getByTestId('my-comment')).toHaveText(COMMENT);
    await expect(page.locator('[data-picked]')).toHaveText(['Chosen: Strong · 6 pts', 'Chosen: Muddled · 1 pt']);
    await expectAccessible(page, 'the assignment with a released grade');
    await shot(page, '5-learner-grade');
  });
});
