/**
 * Quizzes end to end: an instructor writes a question of every type in a fresh course's bank (the seven
 * graded automatically and an essay), adds a timed quiz of them to the outline with answers shown at once
 * and a one-question warm-up, and publishes; a learner enrols, starts an attempt, sees the countdown,
 * answers with autosave, finds the answers again after a reload, submits and watches "Grading…" turn into
 * a score without reloading, the essay left for the instructor. The answer keys never reach the page
 * before submitting. The instructor then grades the essay in the queue and releases it, puts the two
 * quizzes in weighted categories, and the gradebook shows the weighted total and its letter; the learner
 * sees the same total.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, signIn, unique } from './helpers';

const u = unique();
const course = { title: `Quiz Lab ${u}`, slug: '' };
const MODULE = 'Week 1';
const QUIZ = 'Week 1 check';
const WARM_UP = 'Warm-up';
const LEARNER_EMAIL = 'learner17@acme.test';

// Every secret is unique text, so "not in the page" cannot pass by accident or fail on unrelated markup.
const Q = {
  single: { prompt: `Which planet is called the red planet? ${u}`, options: ['Venus', 'Mars', 'Jupiter'], right: 'Mars', feedback: `Iron oxide dust ${u}`, wrongFeedback: `Venus is yellowish ${u}` },
  numeric: { prompt: `What is 292.5 times 2.5? ${u}`, value: '731.25', general: `Multiply carefully ${u}` },
  trueFalse: { prompt: `The Sun is a star. ${u}`, feedbackTrue: `Yes, a G-type star ${u}` },
  multiple: { prompt: `Which of these are prime? ${u}`, options: ['Two', 'Four', 'Seven'], right: ['Two', 'Seven'] },
  short: { prompt: `Name the largest ocean. ${u}`, accepted: `Pacific${u}` },
  matching: { prompt: `Match each capital to its country. ${u}`, pairs: [['Paris', `France${u}`], ['Rome', `Italy${u}`]] as const },
  ordering: { prompt: `Order these from smallest to largest. ${u}`, items: ['Atom', 'Cell', 'Planet'] },
  essay: { prompt: `Explain why the sky is blue. ${u}`, notes: `Model answer mentions Rayleigh ${u}`, answer: 'Shorter wavelengths scatter more in the air.' },
};
const PROMPTS = [Q.single.prompt, Q.multiple.prompt, Q.trueFalse.prompt, Q.short.prompt, Q.numeric.prompt, Q.matching.prompt, Q.ordering.prompt, Q.essay.prompt];

/** Open the type's form from the bank, type the prompt; returns the form. */
async function newQuestion(page: Page, type: string, prompt: string): Promise<Locator> {
  await page.getByRole('link', { name: 'New question', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'New question: choose its type', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(`^${type}\\b`) }).click();
  const form = page.getByRole('form', { name: 'New question' });
  await expect(form).toBeVisible();
  const editor = form.getByRole('textbox', { name: 'Question', exact: true });
  await editor.click();
  await page.keyboard.type(prompt);
  await expect(editor).toContainText(prompt);
  return form;
}

/** Put an ordering question's items into `order` with its Move up buttons, as a keyboard user would. */
async function arrange(question: Locator, order: string[]) {
  let moved = false;
  for (const [target, text] of order.entries()) {
    for (;;) {
      const current = (await question.getByRole('listitem').allTextContents()).map((t) => t.replace(/^\d+\.\s*/, '').replace(/[↑↓]/g, '').trim());
      if (current.indexOf(text) <= target) break;
      await question.getByRole('button', { name: `Move up: ${text}` }).click();
      moved = true;
    }
  }
  // Shown in the right order already: an untouched list is no answer, so move one item away and back.
  if (!moved) {
    await question.getByRole('button', { name: `Move down: ${order[0]}` }).click();
    await question.getByRole('button', { name: `Move up: ${order[0]}` }).click();
  }
}

async function saveQuestion(page: Page, form: Locator, prompt: string) {
  await form.getByRole('button', { name: 'Add question', exact: true }).click();
  await page.waitForURL(/\/questions\?saved=created$/);
  await expect(page.getByText('Question added.')).toBeVisible();
  await expect(page.getByTestId('question-row').filter({ hasText: prompt })).toBeVisible();
}

test.describe('a quiz from the question bank to a graded attempt', () => {
  test.describe.configure({ mode: 'serial' });

  test('an instructor writes a question of every type, adds a timed quiz of them to the outline and publishes', async ({ page }) => {
    await signIn(page, 'acme', 'instructor2@acme.test', undefined, '/teach/new');

    await test.step('a fresh course with one module', async () => {
      await page.getByLabel('Course title').fill(course.title);
      await page.getByRole('button', { name: 'Create course' }).click();
      await page.waitForURL(/\/teach\/[a-z0-9-]+\?created=1$/);
      course.slug = new URL(page.url()).pathname.split('/')[2]!;
      await page.goto(`/teach/${course.slug}/outline`);
      await page.getByLabel('First module').fill(MODULE);
      await page.getByRole('button', { name: 'Add module' }).click();
      await expect(page.getByTestId('outline-module').getByRole('heading', { name: MODULE, level: 3 })).toBeVisible();
    });

    await page.goto(`/teach/${course.slug}/questions`);
    await expect(page.getByRole('heading', { name: 'Question bank', level: 2 })).toBeVisible();
    await expect(page.getByTestId('bank-empty')).toBeVisible();

    await test.step('single choice: three options, the second right, feedback on two', async () => {
      const form = await newQuestion(page, 'Single choice', Q.single.prompt);
      for (const [i, text] of Q.single.options.entries()) await form.getByLabel(`Option ${i + 1} text`, { exact: true }).fill(text);
      await form.getByTestId('option-row').nth(1).getByLabel('Correct', { exact: true }).check();
      await form.getByLabel('Option 2 feedback', { exact: true }).fill(Q.single.feedback);
      await form.getByLabel('Option 1 feedback', { exact: true }).fill(Q.single.wrongFeedback);
      await saveQuestion(page, form, Q.single.prompt);
    });

    await test.step('numeric: an exact value', async () => {
      const form = await newQuestion(page, 'Numeric', Q.numeric.prompt);
      await expect(form.getByRole('radio', { name: 'A value (± tolerance)' })).toBeChecked();
      await form.getByLabel('Value', { exact: true }).fill(Q.numeric.value);
      await form.getByLabel('General feedback (optional)').fill(Q.numeric.general);
      await saveQuestion(page, form, Q.numeric.prompt);
    });

    await test.step('true / false: true, with feedback', async () => {
      const form = await newQuestion(page, 'True / false', Q.trueFalse.prompt);
      await form.getByRole('radio', { name: 'True', exact: true }).check();
      await form.getByLabel('Feedback when answered “true” (optional)').fill(Q.trueFalse.feedbackTrue);
      await saveQuestion(page, form, Q.trueFalse.prompt);
    });

    await test.step('multiple answer: two of three options right', async () => {
      const form = await newQuestion(page, 'Multiple answer', Q.multiple.prompt);
      for (const [i, text] of Q.multiple.options.entries()) {
        await form.getByLabel(`Option ${i + 1} text`, { exact: true }).fill(text);
        if (Q.multiple.right.includes(text)) await form.getByTestId('option-row').nth(i).getByLabel('Correct', { exact: true }).check();
      }
      await saveQuestion(page, form, Q.multiple.prompt);
    });

    await test.step('short answer: one accepted answer', async () => {
      const form = await newQuestion(page, 'Short answer', Q.short.prompt);
      await form.getByLabel('Accepted answer 1', { exact: true }).fill(Q.short.accepted);
      await saveQuestion(page, form, Q.short.prompt);
    });

    await test.step('matching: two pairs', async () => {
      const form = await newQuestion(page, 'Matching', Q.matching.prompt);
      for (const [i, [prompt, match]] of Q.matching.pairs.entries()) {
        await form.getByLabel(`Prompt ${i + 1}`, { exact: true }).fill(prompt);
        await form.getByLabel(`Match for prompt ${i + 1}`, { exact: true }).fill(match);
      }
      await saveQuestion(page, form, Q.matching.prompt);
    });

    await test.step('ordering: three items in their right order', async () => {
      const form = await newQuestion(page, 'Ordering', Q.ordering.prompt);
      for (const [i, text] of Q.ordering.items.entries()) await form.getByLabel(`Item ${i + 1}`, { exact: true }).fill(text);
      await saveQuestion(page, form, Q.ordering.prompt);
    });

    await test.step('essay: notes for graders', async () => {
      const form = await newQuestion(page, 'Essay', Q.essay.prompt);
      await form.getByLabel('Notes for graders (optional)').fill(Q.essay.notes);
      await saveQuestion(page, form, Q.essay.prompt);
      await expect(page.getByText('8 questions of 8')).toBeVisible();
      await expectAccessible(page, 'the question bank with a question of every type');
    });

    await test.step('a quiz item of all eight, 10 minutes, answers shown immediately', async () => {
      await page.goto(`/teach/${course.slug}/outline`);
      await page.getByRole('button', { name: `Add a quiz to “${MODULE}”` }).click();
      const form = page.getByTestId('item-form');
      await expect(form).toBeVisible();
      await form.getByLabel('Title', { exact: true }).fill(QUIZ);
      const fields = form.getByTestId('quiz-fields');
      for (const prompt of PROMPTS) await fields.getByRole('checkbox', { name: new RegExp(prompt.replace(/[.?]/g, '\\$&')) }).check();
      await expect(fields.getByText('8 chosen')).toBeVisible();
      await form.getByLabel('Time limit (minutes)').fill('10');
      await form.getByLabel('Show answers').selectOption({ label: 'Immediately' });
      await expect(form.getByLabel('Show score')).toHaveValue('immediately');
      await expectAccessible(page, 'the outline with the quiz form');
      await form.getByRole('button', { name: 'Add quiz', exact: true }).click();
      await expect(form).toBeHidden();
      await expect(page.locator(`[data-testid="outline-item"][data-item-title="${QUIZ}"]`)).toBeVisible();
    });

    await test.step('a one-question warm-up quiz after it, for the gradebook\'s second category', async () => {
      await page.getByRole('button', { name: `Add a quiz to “${MODULE}”` }).click();
      const form = page.getByTestId('item-form');
      await form.getByLabel('Title', { exact: true }).fill(WARM_UP);
      await form.getByTestId('quiz-fields').getByRole('checkbox', { name: new RegExp(Q.trueFalse.prompt.replace(/[.?]/g, '\\$&')) }).check();
      await form.getByRole('button', { name: 'Add quiz', exact: true }).click();
      await expect(form).toBeHidden();
      await expect(page.locator(`[data-testid="outline-item"][data-item-title="${WARM_UP}"]`)).toBeVisible();
    });

    await test.step('publish', async () => {
      await page.goto(`/teach/${course.slug}`);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Publish “${course.title}”?` });
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText('The course is published and listed in the catalogue.')).toBeVisible();
    });
  });

  test('a learner takes the quiz: countdown, autosave, answers kept over a reload, submit, score without a reload', async ({ page }) => {
    await signIn(page, 'acme', LEARNER_EMAIL, undefined, `/courses/${course.slug}`);
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    // The quiz is the course's first item, so the course opens on it.
    await page.waitForURL(new RegExp(`/learn/${course.slug}/[0-9a-f-]{36}$`));
    const quizUrl = page.url();
    await expect(page.getByRole('heading', { name: QUIZ, level: 1 })).toBeVisible();
    const about = page.getByRole('region', { name: 'About this quiz' });
    await expect(about).toContainText('8 questions');
    await expect(about).toContainText('10 minutes to complete');

    const question = (prompt: string) => page.getByRole('listitem').filter({ has: page.getByText(prompt, { exact: true }) });
    const saved = (prompt: string) => expect(question(prompt).getByText('✓ Saved')).toBeVisible();
    const secrets = [Q.numeric.value, Q.numeric.general, Q.single.feedback, Q.single.wrongFeedback, Q.trueFalse.feedbackTrue, Q.essay.notes, Q.short.accepted];
    const expectNoKeys = async (what: string, keys = secrets) => {
      const html = await page.content();
      for (const key of keys) expect(html.includes(key), `${what}: the page must not contain the answer key “${key}”`).toBe(false);
    };

    await test.step('start: the countdown runs and no answer key is in the page', async () => {
      await page.getByRole('button', { name: 'Start attempt' }).click();
      await expect(question(Q.essay.prompt)).toBeVisible();
      const countdown = page.getByTestId('quiz-countdown');
      await expect(countdown).toHaveText(/^Time left: (10:00|9:[0-5]\d)$/);
      const first = await countdown.textContent();
      await expect(countdown, 'the countdown ticks').not.toHaveText(first!);
      await expect(page.getByText('Question 1 of 8')).toBeVisible();
      await expectNoKeys('a started attempt');
      await expectAccessible(page, 'the quiz player during an attempt');
    });

    await test.step('answer each question; each is autosaved', async () => {
      await question(Q.single.prompt).getByRole('radio', { name: Q.single.right, exact: true }).check();
      await saved(Q.single.prompt);
      await question(Q.numeric.prompt).getByRole('textbox', { name: 'Your answer' }).fill(Q.numeric.value);
      await saved(Q.numeric.prompt);
      await question(Q.trueFalse.prompt).getByRole('radio', { name: 'True', exact: true }).check();
      await saved(Q.trueFalse.prompt);
      for (const option of Q.multiple.right) await question(Q.multiple.prompt).getByRole('checkbox', { name: option, exact: true }).check();
      await saved(Q.multiple.prompt);
      await question(Q.short.prompt).getByRole('textbox', { name: 'Your answer' }).fill(Q.short.accepted.toLowerCase()); // case does not matter by default
      await saved(Q.short.prompt);
      for (const [prompt, match] of Q.matching.pairs) await question(Q.matching.prompt).getByLabel(prompt, { exact: true }).selectOption({ label: match });
      await saved(Q.matching.prompt);
      await arrange(question(Q.ordering.prompt), Q.ordering.items);
      await saved(Q.ordering.prompt);
      await question(Q.essay.prompt).getByRole('textbox', { name: 'Your answer' }).fill(Q.essay.answer);
      await saved(Q.essay.prompt);
      await expect(question(Q.essay.prompt)).toContainText('7 words');
    });

    await test.step('reload: the attempt resumes with every answer', async () => {
      await page.reload();
      await expect(page.getByRole('heading', { name: QUIZ, level: 1 })).toBeVisible();
      await page.getByRole('button', { name: 'Resume attempt' }).click();
      await expect(question(Q.single.prompt).getByRole('radio', { name: Q.single.right, exact: true })).toBeChecked();
      await expect(question(Q.numeric.prompt).getByRole('textbox', { name: 'Your answer' })).toHaveValue(Q.numeric.value);
      await expect(question(Q.trueFalse.prompt).getByRole('radio', { name: 'True', exact: true })).toBeChecked();
      await expect(question(Q.essay.prompt).getByRole('textbox', { name: 'Your answer' })).toHaveValue(Q.essay.answer);
      await expect(page.getByTestId('quiz-countdown')).toHaveText(/^Time left: (10:00|9:[0-5]\d)$/);
      // The learner's own number is in the page now; the rest of the keys still are not.
      await expectNoKeys('a resumed attempt', secrets.filter((s) => s !== Q.numeric.value));
    });

    await test.step('submit after confirming; "Grading…", then the score, without a reload', async () => {
      await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
      await page.getByRole('button', { name: 'Submit attempt' }).click();
      const dialog = page.getByRole('dialog', { name: 'Submit this attempt?' });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('You have answered every question.');
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('quiz-grading')).toHaveText('Grading…');
      const score = page.getByTestId('quiz-score');
      await expect(score).toBeVisible({ timeout: 20_000 });
      // The essay waits for a person, so this is the score so far: the seven automatic points of eight.
      await expect(score).toHaveText(/^Score so far \(answers waiting for your instructor are not counted yet\):\s*7 \/ 8$/);
      expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), 'the page was not reloaded').toBe(true);
      expect(page.url()).toBe(quizUrl);

      await expect(question(Q.essay.prompt)).toContainText('Waiting for your instructor to grade this answer.');
      const single = question(Q.single.prompt);
      await expect(single.getByText('Correct', { exact: true })).toBeVisible();
      await expect(single).toContainText(Q.single.feedback);
      await expect(question(Q.numeric.prompt)).toContainText(`Correct answer${Q.numeric.value}`);
      await expect(question(Q.trueFalse.prompt).getByText('Correct', { exact: true })).toBeVisible();
      await expect(page.getByText(Q.essay.notes), 'grader notes are never shown to learners').toHaveCount(0);
      await expectAccessible(page, 'the quiz player with a result');
    });

    await test.step('the warm-up, answered wrongly: 0 of 1', async () => {
      await page.getByRole('link', { name: new RegExp(WARM_UP) }).first().click();
      await expect(page.getByRole('heading', { name: WARM_UP, level: 1 })).toBeVisible();
      await page.getByRole('button', { name: 'Start attempt' }).click();
      await question(Q.trueFalse.prompt).getByRole('radio', { name: 'False', exact: true }).check();
      await saved(Q.trueFalse.prompt);
      await page.getByRole('button', { name: 'Submit attempt' }).click();
      await page.getByRole('dialog', { name: 'Submit this attempt?' }).getByRole('button', { name: 'Submit', exact: true }).click();
      await expect(page.getByTestId('quiz-score')).toContainText('0 / 1', { timeout: 20_000 });
    });
  });

  test('the instructor grades the essay in the queue and releases it; the gradebook weighs the two quizzes and gives a letter', async ({ page }) => {
    await signIn(page, 'acme', 'instructor2@acme.test', undefined, `/teach/${course.slug}/grading`);

    await test.step('grade the essay from the queue', async () => {
      await page.getByRole('row').filter({ hasText: LEARNER_EMAIL }).getByRole('link', { name: new RegExp(`^Grade ${QUIZ} by `) }).click();
      await expect(page.getByText(Q.essay.notes), 'graders see the notes').toBeVisible();
      await page.getByLabel('Score (0–1)').fill('1');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('Score saved.')).toBeVisible();
      await expectAccessible(page, 'grading an attempt');
    });

    await test.step('the grade is hidden from the learner until it is released', async () => {
      await page.goto(`/teach/${course.slug}/grading`);
      await expect(page.getByText('Nothing to grade')).toBeVisible();
      const card = page.getByTestId('quiz-to-release').filter({ hasText: QUIZ });
      await expect(card).toContainText('1 graded attempt hidden from its learner');
      await card.getByRole('button', { name: `Release grades of ${QUIZ}` }).click();
      const dialog = page.getByRole('dialog', { name: `Release grades of “${QUIZ}”?` });
      await dialog.getByRole('button', { name: 'Release', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText('1 grade released.')).toBeVisible();
    });

    await test.step('two weighted categories: checks 75 %, warm-ups 25 %', async () => {
      await page.goto(`/teach/${course.slug}/gradebook/settings`);
      for (const [name, weight] of [
        ['Checks', '75'],
        ['Warm-ups', '25'],
      ] as const) {
        const form = page.getByRole('region', { name: 'Add a category' });
        await form.getByLabel('Name').fill(name);
        await form.getByLabel('Weight (%)').fill(weight);
        await form.getByRole('button', { name: 'Add category' }).click();
        await expect(page.getByTestId('category').filter({ has: page.locator(`input[value="${name}"]`) })).toBeVisible();
      }
      await page.getByLabel(`Category for ${QUIZ}`).selectOption({ label: 'Checks' });
      await page.getByLabel(`Category for ${WARM_UP}`).selectOption({ label: 'Warm-ups' });
      await page.getByRole('button', { name: 'Save categories' }).click();
      await expect(page.getByText('2 items moved.')).toBeVisible();
    });

    await test.step('the gradebook: 8 / 8 and 0 / 1 weigh to 75 %, a C', async () => {
      await page.goto(`/teach/${course.slug}/gradebook`);
      const row = page.getByTestId('gradebook-row').filter({ hasText: LEARNER_EMAIL });
      await expect(row.getByRole('button', { name: new RegExp(`, ${QUIZ}: 8\\.$`) })).toBeVisible();
      await expect(row.getByRole('cell').nth(-2)).toHaveText('75.00 %');
      await expect(row.getByRole('cell').nth(-1)).toHaveText('C');
      await expectAccessible(page, 'the gradebook');
    });
  });

  test('the learner sees the released essay grade and their weighted total', async ({ page }) => {
    await signIn(page, 'acme', LEARNER_EMAIL, undefined, `/learn/${course.slug}/grades`);
    await expect(page.getByTestId('my-total')).toHaveText('75.00 %');
    await expect(page.getByRole('row', { name: new RegExp(QUIZ) })).toContainText('8');
  });
});
