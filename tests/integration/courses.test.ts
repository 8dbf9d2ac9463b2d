import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberContext } from '@/lib/auth/context';
import { listCatalogue, courseLanding } from '@/lib/courses/catalogue';
import { courseAccess } from '@/lib/courses/permissions';
import { createCourse, duplicateCourse, findCourseBySlug, setCourseStatus, updateCourse, type Course } from '@/lib/courses/service';
import { addItem, addModule, loadOutline, reorderOutline, updateItem } from '@/lib/courses/structure';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { as, addMember, makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());


const settings = (over: Record<string, string> = {}) =>
  ({ title: 'Data basics', slug: 'data-basics', summary: 'Learn data', descriptionHtml: '<p>Hi</p>', category: 'Data', tags: 'sql, charts', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '', ...over }) as never;

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let otherInstructor: MemberContext;
let learner: MemberContext;
let course: Course;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  otherInstructor = await addMember(acme.tenant, 'instructor');
  learner = await addMember(acme.tenant, 'learner');
  course = await as(instructor, (tx, c) => createCourse(tx, c, { title: 'Data basics' }));
});

describe('course authoring is authorised in the service', () => {
  it('makes the creator the course instructor, with a slug from the title', async () => {
    expect(course.slug).toBe('data-basics');
    expect(course.status).toBe('draft');
    const access = await as(instructor, (tx, c) => courseAccess(tx, c, course.id));
    expect(access).toMatchObject({ courseRole: 'instructor', canAuthor: true, canTeach: true });
  });

  it('refuses a learner: cannot create or edit', async () => {
    await expect(as(learner, (tx, c) => createCourse(tx, c, { title: 'Mine' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(learner, (tx, c) => updateCourse(tx, c, course.id, settings()))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(learner, (tx, c) => addModule(tx, c, course.id, { title: 'Sneaky' }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses an instructor of another course', async () => {
    await as(otherInstructor, (tx, c) => createCourse(tx, c, { title: 'Other course' }));
    await expect(as(otherInstructor, (tx, c) => updateCourse(tx, c, course.id, settings({ title: 'Hijacked' })))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(otherInstructor, (tx, c) => setCourseStatus(tx, c, course.id, 'published'))).rejects.toBeInstanceOf(ForbiddenError);
    const [row] = await owner`select title, status from courses where id = ${course.id}`;
    expect(row).toMatchObject({ title: 'Data basics', status: 'draft' });
  });

  it('lets an org admin edit any course', async () => {
    const saved = await as(acme.owner, (tx, c) => updateCourse(tx, c, course.id, settings({ descriptionHtml: '<p onclick="x()">Intro<script>alert(1)</script></p>' })));
    expect(saved.descriptionHtml).toBe('<p>Intro</p>');
    expect(saved.tags).toEqual(['sql', 'charts']);
  });

  it('shows another organisation nothing, by id or by slug', async () => {
    await expect(as(globex.owner, (tx) => findCourseBySlug(tx, 'data-basics'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, c) => updateCourse(tx, c, course.id, settings({ title: 'Pwned' })))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, c) => addModule(tx, c, course.id, { title: 'Planted' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx, c) => duplicateCourse(tx, c, course.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(globex.owner, (tx) => courseLanding(tx, 'data-basics', null))).rejects.toBeInstanceOf(NotFoundError);
    const [row] = await owner`select title from courses where id = ${course.id}`;
    expect(row!.title).toBe('Data basics');
  });

  it('rejects a taken slug and inverted dates with field errors', async () => {
    await as(otherInstructor, (tx, c) => createCourse(tx, c, { title: 'Taken slug' }));
    const mine = await as(otherInstructor, (tx, c) => createCourse(tx, c, { title: 'Yet another' }));
    await expect(as(otherInstructor, (tx, c) => updateCourse(tx, c, mine.id, settings({ slug: 'taken-slug' })))).rejects.toMatchObject({ code: 'courseSlugTaken', field: 'slug' });
    await expect(
      as(otherInstructor, (tx, c) => updateCourse(tx, c, mine.id, settings({ slug: 'yet-another', startsAt: '2026-12-10T09:00', endsAt: '2026-12-01T09:00' }))),
    ).rejects.toMatchObject({ code: 'courseDatesOrder', field: 'endsAt' });
  });
});

describe('structure', () => {
  it('sanitises lesson HTML on write and keeps only allow-listed video hosts', async () => {
    const m = await as(instructor, (tx, c) => addModule(tx, c, course.id, { title: 'Week 1' }));
    const lesson = await as(instructor, (tx, c) =>
      addItem(tx, c, m.id, 'lesson', { title: 'Welcome', required: 'on', html: '<h2>Hello</h2><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><iframe src="https://evil.test"></iframe>' }),
    );
    expect(lesson.content).toEqual({ html: '<h2>Hello</h2><a>x</a>' });

    await expect(as(instructor, (tx, c) => addItem(tx, c, m.id, 'video', { title: 'Evil', required: 'on', videoUrl: 'https://evil.test/watch?v=dQw4w9WgXcQ' }))).rejects.toMatchObject({
      code: 'videoUrlNotAllowed',
      field: 'videoUrl',
    });
    const video = await as(instructor, (tx, c) => addItem(tx, c, m.id, 'video', { title: 'Talk', required: 'on', videoUrl: 'https://youtu.be/dQw4w9WgXcQ' }));
    expect(video.content).toEqual({ source: 'embed', provider: 'youtube', videoId: 'dQw4w9WgXcQ' });
    await expect(as(instructor, (tx, c) => addItem(tx, c, m.id, 'link', { title: 'Bad', required: 'on', url: 'javascript:alert(1)' }))).rejects.toMatchObject({ code: 'linkUrlUnsafe' });
    await expect(as(instructor, (tx, c) => addItem(tx, c, m.id, 'script', { title: 'Nope', required: 'on' }))).rejects.toBeInstanceOf(ValidationError);
    const [{ n }] = (await owner`select count(*)::int as n from course_items where course_id = ${course.id}`) as unknown as [{ n: number }];
    expect(n).toBe(2);
  });

  it('reorders across modules, and refuses a stale or mismatched reorder without changing anything', async () => {
    const c1 = await as(instructor, (tx, c) => createCourse(tx, c, { title: 'Reorder me' }));
    const a = await as(instructor, (tx, c) => addModule(tx, c, c1.id, { title: 'A' }));
    const b = await as(instructor, (tx, c) => addModule(tx, c, c1.id, { title: 'B' }));
    const items: Awaited<ReturnType<typeof addItem>>[] = [];
    for (const t of ['one', 'two', 'three']) items.push(await as(instructor, (tx, c) => addItem(tx, c, a.id, 'link', { title: t, required: 'on', url: 'https://example.com' })));
    const { structureVersion } = await as(instructor, (tx) => findCourseBySlug(tx, c1.slug));

    await expect(
      as(instructor, (tx, c) => reorderOutline(tx, c, c1.id, { version: structureVersion - 1, modules: [{ id: b.id, itemIds: [] }, { id: a.id, itemIds: items.map((i) => i.id) }] })),
    ).rejects.toMatchObject({ code: 'staleOutline' });
    await expect(as(instructor, (tx, c) => reorderOutline(tx, c, c1.id, { version: structureVersion, modules: [{ id: a.id, itemIds: [items[0]!.id] }] }))).rejects.toMatchObject({
      code: 'outlineMismatch',
    });
    const unchanged = await as(instructor, (tx) => loadOutline(tx, c1.id));
    expect(unchanged.modules.map((m) => m.title)).toEqual(['A', 'B']);

    const { version } = await as(instructor, (tx, c) =>
      reorderOutline(tx, c, c1.id, { version: structureVersion, modules: [{ id: b.id, itemIds: [items[2]!.id] }, { id: a.id, itemIds: [items[1]!.id, items[0]!.id] }] }),
    );
    expect(version).toBe(structureVersion + 1);
    const after = await as(instructor, (tx) => loadOutline(tx, c1.id));
    expect(after.modules.map((m) => [m.title, m.items.map((i) => i.title)])).toEqual([
      ['B', ['three']],
      ['A', ['two', 'one']],
    ]);
    // Another instructor's reorder of this course is refused.
    await expect(as(otherInstructor, (tx, c) => reorderOutline(tx, c, c1.id, { version, modules: [] }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses prerequisite loops, and duplicates a course with its structure and re-pointed prerequisites', async () => {
    const c1 = await as(instructor, (tx, c) => createCourse(tx, c, { title: 'Chain' }));
    const m = await as(instructor, (tx, c) => addModule(tx, c, c1.id, { title: 'Only' }));
    const first = await as(instructor, (tx, c) => addItem(tx, c, m.id, 'link', { title: 'first', required: 'on', url: 'https://example.com/1' }));
    const second = await as(instructor, (tx, c) => addItem(tx, c, m.id, 'link', { title: 'second', required: 'on', url: 'https://example.com/2', prerequisiteItemId: first.id }));
    await expect(
      as(instructor, (tx, c) => updateItem(tx, c, first.id, { title: 'first', required: 'on', url: 'https://example.com/1', prerequisiteItemId: second.id })),
    ).rejects.toMatchObject({ code: 'prerequisiteCycle' });
    await expect(as(instructor, (tx, c) => updateItem(tx, c, first.id, { title: 'first', required: 'on', url: 'https://example.com/1', prerequisiteItemId: first.id }))).rejects.toMatchObject({
      code: 'prerequisiteSelf',
    });

    const copy = await as(instructor, (tx, c) => duplicateCourse(tx, c, c1.id));
    expect(copy).toMatchObject({ slug: 'chain-copy', status: 'draft', title: 'Chain (copy)' });
    const outline = await as(instructor, (tx) => loadOutline(tx, copy.id));
    expect(outline.items.map((i) => i.title)).toEqual(['first', 'second']);
    expect(outline.items[1]!.prerequisiteItemId).toBe(outline.items[0]!.id);
    expect(outline.items[0]!.id).not.toBe(first.id);
  });
});

describe('landing pages of drafts', () => {
  it('shows a draft only to its staff and org admins, whoever calls the service', async () => {
    const draft = await as(instructor, (tx, c) => createCourse(tx, c, { title: 'Secret draft' }));
    await expect(as(learner, (tx, c) => courseLanding(tx, draft.slug, c))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(otherInstructor, (tx, c) => courseLanding(tx, draft.slug, c))).rejects.toBeInstanceOf(NotFoundError);
    await expect(as(learner, (tx) => courseLanding(tx, draft.slug, null))).rejects.toBeInstanceOf(NotFoundError);
    expect((await as(instructor, (tx, c) => courseLanding(tx, draft.slug, c))).course.title).toBe('Secret draft');
    expect((await as(acme.owner, (tx, c) => courseLanding(tx, draft.slug, c))).course.title).toBe('Secret draft');
  });
});

describe('catalogue', () => {
  it('lists only published courses, with search and filters', async () => {
    await as(instructor, (tx, c) => setCourseStatus(tx, c, course.id, 'published'));
    const all = await as(learner, (tx) => listCatalogue(tx, {}));
    expect(all.rows.map((r) => r.slug)).toEqual(['data-basics']);
    expect(all.categories).toEqual(['Data']);
    expect((await as(learner, (tx) => listCatalogue(tx, { q: 'DATA' }))).total).toBe(1);
    expect((await as(learner, (tx) => listCatalogue(tx, { q: 'nothing like it' }))).total).toBe(0);
    expect((await as(learner, (tx) => listCatalogue(tx, { language: 'de' }))).total).toBe(0);
    expect((await as(learner, (tx) => listCatalogue(tx, { q: '%' }))).total).toBe(0);
    expect((await as(globex.owner, (tx) => listCatalogue(tx, {}))).total).toBe(0);
  });
});

describe('same-origin check for custom POST routes', () => {
  it('accepts this host, refuses another organisation and cross-site fetches without Origin', async () => {
    const { isSameOriginRequest } = await import('@/lib/auth/origin');
    const { env } = await import('@/lib/env');
    const proto = env().LECTERN_PROTOCOL;
    const h = (o: Record<string, string>) => new Headers({ host: 'acme.localhost:3000', ...o });
    expect(isSameOriginRequest(h({ origin: `${proto}://acme.localhost:3000` }))).toBe(true);
    expect(isSameOriginRequest(h({ origin: `${proto}://globex.localhost:3000` }))).toBe(false);
    expect(isSameOriginRequest(h({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(isSameOriginRequest(h({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOriginRequest(h({}))).toBe(true); // not a browser: no ambient cookies to abuse
  });
});
