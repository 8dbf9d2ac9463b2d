'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { CoursePriceInput, setCoursePrice } from '@/lib/billing/course-sales';
import { CourseInput, ItemInput, ModuleInput, ReorderInput } from '@/lib/courses/schemas';
import { duplicateCourse, setCourseCover, setCourseStatus, updateCourse } from '@/lib/courses/service';
import { addItem, addModule, deleteItem, deleteModule, renameModule, reorderOutline, updateItem } from '@/lib/courses/structure';

// Every action here is open to any member: the course services decide per course (its instructors, org
// admins) and re-check the ids they are given. Ids from hidden fields are only ever identifiers.
const MIN_ROLE = 'learner';
const Id = z.uuid();

/**
 * Ids, plus the raw form fields checked against `check` so problems come back per field; the service gets
 * the raw strings (it parses them again itself).
 */
function rawFields<T extends z.core.$ZodLooseShape>(ids: T, check: z.ZodType) {
  return z.looseObject(ids).superRefine((raw, ctx) => {
    const parsed = check.safeParse(raw);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

const t = () => getTranslations('teach.actions');

export const saveSettingsAction = memberAction({ role: MIN_ROLE, input: rawFields({ courseId: Id }, CourseInput) }, async (tx, ctx, { courseId, ...raw }) => {
  // The service takes the form's strings (it validates and converts them itself).
  const course = await updateCourse(tx, ctx, courseId, raw as never);
  return { ok: true, message: (await t())('settingsSaved'), data: { slug: course.slug } };
});

export const setPriceAction = memberAction({ role: MIN_ROLE, input: CoursePriceInput.extend({ courseId: Id }) }, async (tx, ctx, { courseId, ...raw }) => {
  await setCoursePrice(tx, ctx, courseId, raw);
  return { ok: true, message: (await t())(raw.price ? 'priceSaved' : 'priceCleared') };
});

export const setCoverAction = memberAction(
  { role: MIN_ROLE, input: z.object({ courseId: Id, fileKey: z.string().max(400).optional() }) },
  async (tx, ctx, { courseId, fileKey }) => {
    await setCourseCover(tx, ctx, courseId, fileKey || null);
    return { ok: true, message: (await t())(fileKey ? 'coverSet' : 'coverRemoved') };
  },
);

export const setStatusAction = memberAction(
  { role: MIN_ROLE, input: z.object({ courseId: Id, status: z.enum(['draft', 'published', 'archived']) }) },
  async (tx, ctx, { courseId, status }) => {
    await setCourseStatus(tx, ctx, courseId, status);
    return { ok: true, message: (await t())(`status.${status}`) };
  },
);

export const duplicateCourseAction = memberAction({ role: MIN_ROLE, input: z.object({ courseId: Id }) }, async (tx, ctx, { courseId }) => {
  const copy = await duplicateCourse(tx, ctx, courseId);
  return { ok: true, message: (await t())('duplicated', { title: copy.title }), data: { redirectTo: `/teach/${copy.slug}?copied=1` } };
});

export const addModuleAction = memberAction({ role: MIN_ROLE, input: z.object({ courseId: Id, title: ModuleInput.shape.title }) }, async (tx, ctx, { courseId, title }) => {
  const created = await addModule(tx, ctx, courseId, { title });
  return { ok: true, message: (await t())('moduleAdded', { title: created.title }), data: { moduleId: created.id } };
});

export const renameModuleAction = memberAction({ role: MIN_ROLE, input: z.object({ moduleId: Id, title: ModuleInput.shape.title }) }, async (tx, ctx, { moduleId, title }) => {
  await renameModule(tx, ctx, moduleId, { title });
  return { ok: true, message: (await t())('moduleRenamed') };
});

export const deleteModuleAction = memberAction({ role: MIN_ROLE, input: z.object({ moduleId: Id }) }, async (tx, ctx, { moduleId }) => {
  await deleteModule(tx, ctx, moduleId);
  return { ok: true, message: (await t())('moduleDeleted') };
});

export const addItemAction = memberAction({ role: MIN_ROLE, input: rawFields({ moduleId: Id, kind: z.string().max(40) }, ItemInput) }, async (tx, ctx, { moduleId, kind, ...raw }) => {
  const item = await addItem(tx, ctx, moduleId, kind, raw);
  return { ok: true, message: (await t())('itemAdded', { title: item.title }), data: { itemId: item.id } };
});

export const updateItemAction = memberAction({ role: MIN_ROLE, input: rawFields({ itemId: Id }, ItemInput) }, async (tx, ctx, { itemId, ...raw }) => {
  const item = await updateItem(tx, ctx, itemId, raw);
  return { ok: true, message: (await t())('itemSaved', { title: item.title }) };
});

export const deleteItemAction = memberAction({ role: MIN_ROLE, input: z.object({ itemId: Id }) }, async (tx, ctx, { itemId }) => {
  await deleteItem(tx, ctx, itemId);
  return { ok: true, message: (await t())('itemDeleted') };
});

/** The whole new order as JSON (`[{ id, itemIds }]`), with the structure version it was computed from. */
const OrderJson = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'order is not JSON' });
    return z.NEVER;
  }
});

export const reorderOutlineAction = memberAction(
  { role: MIN_ROLE, input: z.object({ courseId: Id, version: z.coerce.number().int().min(0), modules: OrderJson.pipe(ReorderInput.shape.modules) }) },
  async (tx, ctx, { courseId, version, modules }) => {
    const saved = await reorderOutline(tx, ctx, courseId, { version, modules });
    return { ok: true, message: (await t())('orderSaved'), data: { version: saved.version } };
  },
);
