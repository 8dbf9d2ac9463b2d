import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

const optionalText = (max: number) => z.string().trim().max(max, v('tooLong')).optional().transform((s) => (s ? s : null));
/** An optional date from a form field (datetime-local or ISO) or JSON: a Date, or null when empty. */
export const OptionalDate = z
  .string()
  .trim()
  .nullish()
  .transform((s, c) => {
    if (!s) return null;
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      c.addIssue({ code: 'custom', message: v('dateInvalid') });
      return z.NEVER;
    }
    return d;
  });

/** A checkbox from a form ('on') or a boolean from JSON. */
export const FormFlag = z.preprocess((x) => x === 'on' || x === 'true' || x === true, z.boolean());

/** An optional whole number in [min, max] from a form field or JSON; null when empty. */
export function optionalWholeNumber(min: number, max: number, message: string) {
  return z
    .union([z.string(), z.number()])
    .nullish()
    .transform((value, c) => {
      if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) return null;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        c.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });
}

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
  capacity: optionalWholeNumber(1, 1_000_000, v('capacityInvalid')),
  startsAt: OptionalDate,
  endsAt: OptionalDate,
});
export type CourseInput = z.infer<typeof CourseInput>;

/** A new course needs only a title; the address is derived from it and can be changed later. */
export const NewCourseInput = z.object({ title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')) });

export const ModuleInput = z.object({ title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')) });

/** Item fields common to every kind; kind-specific fields are parsed by the kind's module. */
export const ItemInput = z.object({
  title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')),
  required: FormFlag,
  prerequisiteItemId: z
    .string()
    .optional()
    .transform((s) => (s ? s : null))
    .pipe(z.uuid(v('choiceMissing')).nullable()),
  releaseAt: OptionalDate,
  releaseAfterDays: optionalWholeNumber(0, 3650, v('daysInvalid')),
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
