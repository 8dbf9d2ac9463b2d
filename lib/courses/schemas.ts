import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

const optionalText = (max: number) => z.string().trim().max(max, v('tooLong')).optional().transform((s) => (s ? s : null));
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((s, c) => {
    if (!s) return null;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      c.addIssue({ code: 'custom', message: v('dateInvalid') });
      return z.NEVER;
    }
    return d;
  });

/** Course addresses that would collide with fixed paths under /teach (/teach/new) or read as one. */
export const RESERVED_COURSE_SLUGS = new Set(['new', 'uploads']);

export const CourseSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, v('courseSlugInvalid'))
  .max(80, v('courseSlugInvalid'))
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, v('courseSlugInvalid'))
  .refine((s) => !RESERVED_COURSE_SLUGS.has(s), v('courseSlugReserved'));

/** The course settings form (authoring): every field a string from FormData. */
export const CourseInput = z.object({
  title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')),
  slug: CourseSlug,
  summary: z.string().trim().max(500, v('tooLong')).default(''),
  descriptionHtml: z.string().max(100_000, v('tooLong')).default(''),
  category: optionalText(60),
  tags: z
    .string()
    .optional()
    .transform((s) => [...new Set((s ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 20))
    .pipe(z.array(z.string().max(40, v('tooLong')))),
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, v('languageInvalid')).default('en'),
  enrolmentMode: z.enum(['open', 'approval', 'invite'], v('choiceMissing')),
  capacity: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? Number(s) : null))
    .pipe(z.number(v('capacityInvalid')).int(v('capacityInvalid')).min(1, v('capacityInvalid')).max(1_000_000, v('capacityInvalid')).nullable()),
  startsAt: optionalDate,
  endsAt: optionalDate,
});
export type CourseInput = z.infer<typeof CourseInput>;

/** A new course needs only a title; the address is derived from it and can be changed later. */
export const NewCourseInput = z.object({ title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')) });

export const ModuleInput = z.object({ title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')) });

/** Item fields common to every kind; kind-specific fields are parsed by the kind's module. */
export const ItemInput = z.object({
  title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')),
  required: z.preprocess((x) => x === 'on' || x === 'true' || x === true, z.boolean()),
  prerequisiteItemId: z
    .string()
    .optional()
    .transform((s) => (s ? s : null))
    .pipe(z.uuid(v('choiceMissing')).nullable()),
  releaseAt: optionalDate,
  releaseAfterDays: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? Number(s) : null))
    .pipe(z.number(v('daysInvalid')).int(v('daysInvalid')).min(0, v('daysInvalid')).max(3650, v('daysInvalid')).nullable()),
});
export type ItemInput = z.infer<typeof ItemInput>;

/** The whole outline in its new order, with the version it was computed from. */
export const ReorderInput = z.object({
  version: z.number().int().min(0),
  modules: z.array(z.object({ id: z.uuid(), itemIds: z.array(z.uuid()).max(500) })).max(200),
});
export type ReorderInput = z.infer<typeof ReorderInput>;

export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  if (RESERVED_COURSE_SLUGS.has(s)) return `${s}-course`;
  return s.length >= 2 ? s : `course-${s || 'new'}`;
}
