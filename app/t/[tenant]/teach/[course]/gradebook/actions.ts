'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { CellEdit, editCell } from '@/lib/gradebook/service';
import { assignCategories, createCategory, deleteCategory, setGradingScheme, updateCategory } from '@/lib/gradebook/settings';

// Course staff need not be org instructors (a learner of the organisation may TA a course): any member may
// call, and the gradebook services decide from the course role.
const ANY_MEMBER = 'learner' as const;

/** Override (reason required), clear the override, excuse or un-excuse one cell. */
export const editCellAction = memberAction({ role: ANY_MEMBER, input: CellEdit }, async (tx, ctx, input) => {
  const { changed } = await editCell(tx, ctx, input);
  const t = await getTranslations('gradebook.cell');
  return { ok: true, message: changed ? t(`saved.${input.action}`) : t('unchanged') };
});

const CategoryFields = z.object({ name: z.string(), weight: z.string(), dropLowest: z.string(), position: z.string().optional() });

export const createCategoryAction = memberAction({ role: ANY_MEMBER, input: CategoryFields.extend({ courseId: z.uuid() }) }, async (tx, ctx, input) => {
  await createCategory(tx, ctx, input.courseId, input);
  return { ok: true, message: (await getTranslations('gradebook.settings'))('categoryAdded', { name: input.name.trim() }) };
});

export const updateCategoryAction = memberAction({ role: ANY_MEMBER, input: CategoryFields.extend({ categoryId: z.string() }) }, async (tx, ctx, input) => {
  await updateCategory(tx, ctx, input.categoryId, input);
  return { ok: true, message: (await getTranslations('gradebook.settings'))('categorySaved') };
});

export const deleteCategoryAction = memberAction({ role: ANY_MEMBER, input: z.object({ categoryId: z.string() }) }, async (tx, ctx, input) => {
  await deleteCategory(tx, ctx, input.categoryId);
  return { ok: true, message: (await getTranslations('gradebook.settings'))('categoryDeleted') };
});

/** The item → category selects, sent as `item-<id>` fields (empty value = uncategorised). */
export const assignCategoriesAction = memberAction({ role: ANY_MEMBER, input: z.object({ courseId: z.uuid() }).catchall(z.unknown()) }, async (tx, ctx, input) => {
  const assignments = Object.entries(input).flatMap(([k, v]) => (k.startsWith('item-') && typeof v === 'string' ? [{ itemId: k.slice(5), categoryId: v || null }] : []));
  const n = await assignCategories(tx, ctx, input.courseId, assignments);
  return { ok: true, message: (await getTranslations('gradebook.settings'))('itemsSaved', { count: n }) };
});

/** The scheme rows as `letter-<n>` / `min-<n>` fields; `reset` goes back to the default scheme. */
export const saveSchemeAction = memberAction({ role: ANY_MEMBER, input: z.object({ courseId: z.uuid(), intent: z.enum(['save', 'reset']).default('save') }).catchall(z.unknown()) }, async (tx, ctx, input) => {
  const t = await getTranslations('gradebook.settings');
  if (input.intent === 'reset') {
    await setGradingScheme(tx, ctx, input.courseId, null);
    return { ok: true, message: t('schemeReset') };
  }
  const rows: { letter: string; min: number }[] = [];
  for (let i = 0; i < 30; i++) {
    const letter = input[`letter-${i}`];
    const min = input[`min-${i}`];
    if (typeof letter !== 'string' || typeof min !== 'string' || (!letter.trim() && !min.trim())) continue;
    rows.push({ letter, min: min.trim() === '' ? NaN : Number(min) });
  }
  // A refusal names the row; the wrapper keeps what was typed, so only that row needs fixing.
  await setGradingScheme(tx, ctx, input.courseId, rows);
  return { ok: true, message: t('schemeSaved') };
});
