/**
 * Courses end to end (issue 3): an instructor builds and publishes a course with every kind of item; a
 * learner finds it, enrols and works through it to 100 % and "Completed"; a drip-released item shows a
 * learner when it opens. That a locked item cannot be completed on the server is covered by
 * tests/integration/learning.test.ts; here the learner must not be offered the control.
 */
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, signIn, unique } from './helpers';

const ASSETS = path.join(import.meta.dirname, '..', '..', 'db', 'seed-assets');
const DAY = 86_400_000;

// Shared by the instructor's and the learner's tests (serial: the learner needs the published course).
const course = { title: `Field Guide ${unique()}`, slug: '' };
const M1 = 'Getting started';
const M2 = 'Going further';
const ITEMS = {
  lesson1: 'Welcome lesson',
  video: 'Intro video',
  pdf: 'Course notes',
  lesson2: 'Deeper lesson',
  youtube: 'Talk on YouTube',
  link: 'Further reading',
};

/** The YouTube iframe cannot load here (no internet): answer it with an empty page so `load` and axe do not wait on it. */
async function stubYouTube(page: Page) {
  await page.route(/^https:\/\/www\.youtube-nocookie\.com\//, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Video</title></html>' }));
}

function moduleCard(page: Page, title: string): Locator {
  return page.getByTestId('outline-module').filter({ has: page.getByRole('heading', { name: title, level: 3, exact: true }) });
}

async function itemTitles(module: Locator): Promise<string[]> {
  return module.getByTestId('outline-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-title') ?? ''));
}

/** Open "Add a <kind>" in a module and fill the title; returns the open form. */
async function openItemForm(page: Page, moduleTitle: string, kind: 'lesson' | 'video' | 'file' | 'link', title: string): Promise<Locator> {
  const article = { lesson: 'a lesson', video: 'a video', file: 'a file', link: 'a link' }[kind];
  await page.getByRole('button', { name: `Add ${article} to “${moduleTitle}”` }).click();
  const form = page.getByTestId('item-form');
  await expect(form).toBeVisible();
  await form.getByLabel('Title', { exact: true }).fill(title);
  return form;
}

/** Submit an item form and wait until its row is in the module (the form closes on success). */
async function submitItem(page: Page, form: Locator, kind: 'lesson' | 'video' | 'file' | 'link', moduleTitle: string, title: string) {
  await form.getByRole('button', { name: `Add ${kind}`, exact: true }).click();
  await expect(form).toBeHidden();
  await expect(moduleCard(page, moduleTitle).locator(`[data-testid="outline-item"][data-item-title="${title}"]`)).toBeVisible();
}

async function typeLesson(page: Page, form: Locator, text: string) {
  const editor = form.getByRole('textbox', { name: 'Lesson', exact: true });
  await editor.click();
  await page.keyboard.type(text);
  await expect(editor).toContainText(text);
}

async function uploadInto(form: Locator, label: string, file: string) {
  await form.getByLabel(label, { exact: true }).setInputFiles(path.join(ASSETS, file));
  // Uploaded at once (XHR); the stored file then shows as a link with its name.
  await expect(form.getByRole('link', { name: file })).toBeVisible();
}

// The learner's test needs the course the instructor's test publishes.
test.describe('a course from authoring to completion', () => {
  test.describe.configure({ mode: 'serial' });

  test('an instructor builds a course of two modules with every kind of item, reorders it by keyboard and publishes it', async ({ page }) => {
    await signIn(page, 'acme', 'instructor2@acme.test', undefined, '/teach/new');

    await test.step('create the course and fill its settings, with a description typed in the editor', async () => {
      await page.getByLabel('Course title').fill(course.title);
      await page.getByRole('button', { name: 'Create course' }).click();
      await page.waitForURL(/\/teach\/[a-z0-9-]+\?created=1$/);
      course.slug = new URL(page.url()).pathname.split('/')[2]!;
      await expect(page.getByRole('heading', { name: course.title, level: 1 })).toBeVisible();
      await expect(page.getByText('Course created as a draft.')).toBeVisible();

      const form = page.getByRole('form', { name: 'Course settings' });
      await expect(form.getByLabel('Title', { exact: true })).toHaveValue(course.title);
      await form.getByLabel('Summary').fill('A short course that uses every kind of item.');
      const description = form.getByRole('textbox', { name: 'Description' });
      await description.click();
      await page.keyboard.type('Lessons, a video, notes and links. ');
      await page.keyboard.press('ControlOrMeta+b');
      await page.keyboard.type('Bring questions.');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await expect(form.getByRole('status')).toHaveText(/Settings saved\./);
      await expectAccessible(page, 'course settings');
    });

    await page.getByRole('navigation', { name: 'Course sections' }).getByRole('link', { name: 'Outline' }).click();
    await expect(page.getByRole('heading', { name: 'Outline', level: 2 })).toBeVisible();

    await test.step('module 1: a typed lesson, an uploaded video, an uploaded PDF', async () => {
      await page.getByLabel('First module').fill(M1);
      await page.getByRole('button', { name: 'Add module' }).click();
      await expect(moduleCard(page, M1)).toBeVisible();

      let form = await openItemForm(page, M1, 'lesson', ITEMS.lesson1);
      await typeLesson(page, form, 'Welcome! Read this first.');
      await submitItem(page, form, 'lesson', M1, ITEMS.lesson1);

      form = await openItemForm(page, M1, 'video', ITEMS.video);
      // The radio is visually hidden inside its label, which is what a pointer user clicks.
      await form.getByText('Upload a file', { exact: true }).click();
      await expect(form.getByRole('radio', { name: 'Upload a file' })).toBeChecked();
      await uploadInto(form, 'Video file', 'intro.webm');
      await submitItem(page, form, 'video', M1, ITEMS.video);

      form = await openItemForm(page, M1, 'file', ITEMS.pdf);
      await uploadInto(form, 'File', 'course-notes.pdf');
      await submitItem(page, form, 'file', M1, ITEMS.pdf);

      const row = (title: string) => moduleCard(page, M1).locator(`[data-item-title="${title}"]`);
      await expect(row(ITEMS.video)).toContainText(/intro\.webm · \d+ KB/);
      await expect(row(ITEMS.pdf)).toContainText(/course-notes\.pdf · \d+ KB/);
    });

    await test.step('module 2: a lesson, a YouTube video (a non-YouTube address refused first), a web link', async () => {
      await page.getByLabel('New module').fill(M2);
      await page.getByRole('button', { name: 'Add module' }).click();
      await expect(moduleCard(page, M2)).toBeVisible();

      let form = await openItemForm(page, M2, 'lesson', ITEMS.lesson2);
      await typeLesson(page, form, 'Now go deeper.');
      await submitItem(page, form, 'lesson', M2, ITEMS.lesson2);

      form = await openItemForm(page, M2, 'video', ITEMS.youtube);
      const address = form.getByLabel('Video address');
      await address.fill('https://evil.test/x');
      await form.getByRole('button', { name: 'Add video', exact: true }).click();
      await expect(form.getByText('Only YouTube and Vimeo links can be embedded. Upload the video file instead.')).toBeVisible();
      await expect(address).toHaveAttribute('aria-invalid', 'true');
      await expect(address).toBeFocused();
      expect(await itemTitles(moduleCard(page, M2)), 'nothing is added for a refused address').toEqual([ITEMS.lesson2]);
      await expectAccessible(page, 'the outline editor with a refused video address');
      await address.fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
      await submitItem(page, form, 'video', M2, ITEMS.youtube);
      await expect(moduleCard(page, M2).locator(`[data-item-title="${ITEMS.youtube}"]`)).toContainText('YouTube');

      form = await openItemForm(page, M2, 'link', ITEMS.link);
      await form.getByLabel('Web address').fill('https://example.org/reading');
      await form.getByLabel('Description').fill('Background reading for the keen.');
      await submitItem(page, form, 'link', M2, ITEMS.link);
      expect(await itemTitles(moduleCard(page, M2))).toEqual([ITEMS.lesson2, ITEMS.youtube, ITEMS.link]);
    });

    await test.step('move the link up with the keyboard; the order survives a reload', async () => {
      const handle = page.getByRole('button', { name: `Drag “${ITEMS.link}” (in “${M2}”)` });
      await handle.focus();
      await page.keyboard.press('Space');
      await expect(handle, 'picked up').toHaveAttribute('aria-pressed', 'true');
      await page.keyboard.press('ArrowUp');
      // dnd-kit's live region says where the item is now.
      await expect(page.getByRole('status').filter({ hasText: `“${ITEMS.link}” is over position 2 of 3 in “${M2}”.` })).toBeAttached();
      await page.keyboard.press('Space');
      await expect(page.getByTestId('order-status')).toHaveText(/Order saved/);
      expect(await itemTitles(moduleCard(page, M2))).toEqual([ITEMS.lesson2, ITEMS.link, ITEMS.youtube]);
      await expectAccessible(page, 'the outline editor');

      await page.reload();
      await expect(moduleCard(page, M2)).toBeVisible();
      expect(await itemTitles(moduleCard(page, M1))).toEqual([ITEMS.lesson1, ITEMS.video, ITEMS.pdf]);
      expect(await itemTitles(moduleCard(page, M2)), 'the new order after a reload').toEqual([ITEMS.lesson2, ITEMS.link, ITEMS.youtube]);
    });

    await test.step('publish after confirming', async () => {
      await page.getByRole('navigation', { name: 'Course sections' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Publish “${course.title}”?` });
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText('The course is published and listed in the catalogue.')).toBeVisible();
      await expect(page.getByRole('region', { name: course.title }).getByText('Published', { exact: true })).toBeVisible();
    });
  });

  test('a learner finds the course, enrols, works through every item and sees it completed', async ({ page }) => {
    await stubYouTube(page);
    await signIn(page, 'acme', 'learner15@acme.test', undefined, '/courses');

    await test.step('search the catalogue and open the landing page', async () => {
      await page.getByRole('searchbox', { name: 'Search courses' }).fill(course.title);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: '1 course' })).toBeVisible();
      await expectAccessible(page, 'the catalogue with a search');
      await page.getByTestId('course-card').getByRole('link', { name: course.title }).click();
      await page.waitForURL(`**/courses/${course.slug}`);

      await expect(page.getByRole('heading', { name: course.title, level: 1 })).toBeVisible();
      await expect(page.getByText('A short course that uses every kind of item.')).toBeVisible();
      const about = page.getByRole('region', { name: 'About this course' });
      await expect(about.locator('strong')).toHaveText('Bring questions.');
      const outline = page.getByRole('region', { name: 'Course outline' });
      await expect(outline.getByRole('heading', { level: 3 })).toHaveText([new RegExp(`^1\\.\\s*${M1}`), new RegExp(`^2\\.\\s*${M2}`)]);
      await expect(outline.getByRole('listitem').filter({ hasText: ITEMS.video }).last()).toContainText('Video');
      await expect(outline).toContainText(ITEMS.youtube);
      await expectAccessible(page, 'the course landing page');
    });

    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    // The course opens where it starts: its first item.
    await page.waitForURL(new RegExp(`/learn/${course.slug}/[0-9a-f-]{36}$`));
    await expect(page.getByRole('heading', { name: ITEMS.lesson1, level: 1 })).toBeVisible();
    // The sidebar on a desktop screen (the phone drawer repeats it, hidden here).
    const sidebar = page.getByRole('complementary');
    const outline = sidebar.getByRole('navigation', { name: 'Course outline' });
    const progress = sidebar.getByRole('progressbar', { name: 'Course progress' });
    await expect(sidebar.getByText('0 of 6 required items', { exact: true })).toBeVisible();

    const open = async (title: string) => {
      await outline.getByRole('link', { name: new RegExp(`^${title}\\b`) }).click();
      await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    };
    const markComplete = async (done: number) => {
      await page.getByRole('button', { name: 'Mark complete' }).click();
      await expect(page.getByText('Saved: item marked complete.')).toBeVisible();
      await expect(sidebar.getByText(`${done} of 6 required items`, { exact: true })).toBeVisible();
    };

    await test.step('lesson', async () => {
      await expect(page.getByText('Welcome! Read this first.')).toBeVisible();
      await expectAccessible(page, 'the player on a lesson');
      await markComplete(1);
      await expect(outline.getByRole('link', { name: new RegExp(`^${ITEMS.lesson1}\\s*,\\s*Completed`) })).toBeVisible();
    });

    await test.step('uploaded video: playing it to the end completes it, without a reload', async () => {
      await open(ITEMS.video);
      await expect(page.getByRole('button', { name: 'Mark complete' })).toHaveCount(0);
      await expect(page.getByText('This video completes itself once you have watched 90% of it.')).toBeVisible();
      await expect(page.getByTestId('video-watched')).toHaveText('Watched 0%');
      await expectAccessible(page, 'the player on an uploaded video');
      await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
      const video = page.getByLabel(`Video: ${ITEMS.video}`);
      await expect(video).toBeVisible();
      // Muted, or Chromium refuses play() without a user gesture; 2× keeps each timeupdate step a step, not a seek.
      await video.evaluate(async (v: HTMLVideoElement) => {
        v.muted = true;
        v.playbackRate = 2;
        await v.play();
      });
      await expect(page.getByText('Video watched', { exact: true })).toBeVisible({ timeout: 15_000 });
      await expect(page.getByText('You completed this item.')).toBeVisible();
      await expect(sidebar.getByText('2 of 6 required items', { exact: true })).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), 'the page was not reloaded').toBe(true);
    });

    await test.step('PDF shown inline from a signed /files/ URL', async () => {
      await open(ITEMS.pdf);
      const frame = page.locator(`iframe[title="PDF: ${ITEMS.pdf}"]`);
      await expect(frame).toBeVisible();
      const src = (await frame.getAttribute('src'))!;
      expect(src).toMatch(/^\/files\//);
      // Node cannot resolve *.localhost, so the browser itself fetches the link (it needs no session).
      const res = await page.evaluate(async (url) => {
        const r = await fetch(url);
        return { status: r.status, type: r.headers.get('content-type'), magic: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
      }, src);
      expect(res).toEqual({ status: 200, type: 'application/pdf', magic: '%PDF-' });
      await expect(page.getByRole('link', { name: /^Download course-notes\.pdf/ })).toBeVisible();
      await markComplete(3);
    });

    await test.step('module 2: lesson, link, YouTube embed', async () => {
      await open(ITEMS.lesson2);
      await expect(page.getByText('Now go deeper.')).toBeVisible();
      await markComplete(4);

      await open(ITEMS.link);
      await expect(page.getByText('Background reading for the keen.')).toBeVisible();
      const openLink = page.getByRole('link', { name: /^Open link/ });
      await expect(openLink).toHaveAttribute('href', 'https://example.org/reading');
      await expect(openLink).toHaveAttribute('target', '_blank');
      await markComplete(5);

      await open(ITEMS.youtube);
      const embed = page.locator(`iframe[title="Video: ${ITEMS.youtube}"]`);
      await expect(embed).toBeVisible();
      expect(new URL((await embed.getAttribute('src'))!).host).toBe('www.youtube-nocookie.com');
      await expectAccessible(page, 'the player on a YouTube video');
      await markComplete(6);
    });

    await test.step('100 % and the course-complete banner, then Completed under My learning', async () => {
      await expect(page.getByText('That was the last requirement: course complete!')).toBeVisible();
      const banner = page.getByTestId('course-complete');
      await expect(banner.getByRole('heading', { name: 'Course complete' })).toBeVisible();
      await expect(banner).toContainText(`You completed every required item of ${course.title}.`);
      await expect(progress).toHaveAttribute('aria-valuenow', '100');
      await expect(sidebar.getByText('100%', { exact: true })).toBeVisible();
      await expect(sidebar.getByText('6 of 6 required items', { exact: true })).toBeVisible();
      await expect(outline.getByRole('link', { name: /,\s*Completed$/ })).toHaveCount(6);
      await expectAccessible(page, 'the player with the course complete');

      await page.goto('/learn');
      const completed = page.getByRole('region', { name: 'Completed' });
      await expect(completed.getByRole('link', { name: course.title, exact: true })).toBeVisible();
      await expect(completed).toContainText(/Completed on \w+ \d{1,2}, \d{4}/);
      await expect(page.getByRole('region', { name: 'My courses' }).getByTestId('my-course').filter({ hasText: course.title })).toHaveCount(0);
      await expectAccessible(page, 'My learning with a completed course');
    });
  });
});

// On a demo course (lib/demo/courses.ts, taught by instructor1), so it does not wait on the tests above.
test('an item released 3 days after enrolment is locked for a learner, who sees when it opens', async ({ page, browser }) => {
  const safety = 'workplace-safety-101';
  const title = `Night shift rules ${unique()}`;

  // The learner enrols first (the days count from now), then the course's instructor adds the item.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  try {
    await signIn(learner, 'acme', 'learner16@acme.test', undefined, `/courses/${safety}`);
    const before = Date.now();
    await learner.getByRole('button', { name: 'Enrol', exact: true }).click();
    await learner.waitForURL(new RegExp(`/learn/${safety}/[0-9a-f-]{36}$`));
    const enrolledBetween = [before, Date.now()];

    await signIn(page, 'acme', 'instructor1@acme.test', undefined, `/teach/${safety}/outline`);
    const form = await openItemForm(page, 'Everyday habits', 'lesson', title);
    await typeLesson(page, form, 'Only for those who work nights.');
    await form.getByLabel('Days after enrolment').fill('3');
    await submitItem(page, form, 'lesson', 'Everyday habits', title);
    await expect(page.locator(`[data-item-title="${title}"]`)).toContainText('3 days after enrolment');

    const day = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const opens = [...new Set(enrolledBetween.map((t) => day.format(new Date(t + 3 * DAY))))];
    const opensOn = new RegExp(`Opens on (${opens.join('|')})\\b`);

    await learner.reload();
    const link = learner.getByRole('navigation', { name: 'Course outline' }).getByRole('link', { name: new RegExp(`^${title}`) });
    await expect(link).toHaveAccessibleName(new RegExp(`^${title}\\s*,\\s*Locked`));
    await expect(link).toContainText(opensOn);
    await link.click();
    await expect(learner.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(learner.getByRole('heading', { name: 'This item is locked' })).toBeVisible();
    await expect(learner.getByTestId('lock-reason')).toHaveText(opensOn);
    await expect(learner.getByText('Only for those who work nights.')).toHaveCount(0);
    await expect(learner.getByRole('button', { name: 'Mark complete' })).toHaveCount(0);
    await expectAccessible(learner, 'the player on a drip-locked item');

    // The learner can leave the course again, after confirming.
    await learner.goto(`/courses/${safety}`);
    await learner.getByRole('button', { name: 'Leave course' }).click();
    const dialog = learner.getByRole('dialog', { name: /^Leave Workplace Safety 101\?$/ });
    await expect(dialog).toContainText('your progress in this course will be deleted');
    await dialog.getByRole('button', { name: 'Leave and delete my progress' }).click();
    await expect(learner.getByRole('button', { name: 'Enrol', exact: true })).toBeVisible();
  } finally {
    await learnerContext.close();
  }
});
