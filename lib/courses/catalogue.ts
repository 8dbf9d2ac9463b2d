import { and, asc, count, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { NotFoundError } from '@/lib/errors';
import { hasRole } from '@/lib/members/roles';
import { PageParam } from '@/lib/schemas';
import type { CourseRole } from './permissions';
import { loadOutline } from './structure';

export const CATALOGUE_PAGE_SIZE = 12;

export const CatalogueQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  category: z.string().trim().max(60).optional().catch(undefined),
  language: z.string().trim().max(10).optional().catch(undefined),
  page: PageParam,
});
export type CatalogueQuery = z.infer<typeof CatalogueQuery>;

const published = eq(schema.courses.status, 'published');

/**
 * Published courses of this organisation (RLS), searched by title or summary (trigram indexes), filtered by
 * category and language, a page at a time; with the filter choices. Three queries.
 */
export async function listCatalogue(tx: Tx, raw: Record<string, unknown>) {
  const input = CatalogueQuery.parse(raw);
  const filters: SQL[] = [published];
  if (input.q) {
    const pattern = `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(schema.courses.title, pattern), ilike(schema.courses.summary, pattern))!);
  }
  if (input.category) filters.push(eq(schema.courses.category, input.category));
  if (input.language) filters.push(eq(schema.courses.language, input.language));
  const where = and(...filters);
  const [rows, [total], facets] = await Promise.all([
    tx
      .select({
        id: schema.courses.id,
        slug: schema.courses.slug,
        title: schema.courses.title,
        summary: schema.courses.summary,
        coverKey: schema.courses.coverKey,
        category: schema.courses.category,
        language: schema.courses.language,
        enrolmentMode: schema.courses.enrolmentMode,
        startsAt: schema.courses.startsAt,
        priceCents: schema.courses.priceCents,
        priceCurrency: schema.courses.priceCurrency,
      })
      .from(schema.courses)
      .where(where)
      .orderBy(asc(schema.courses.title), asc(schema.courses.id))
      .limit(CATALOGUE_PAGE_SIZE)
      .offset((input.page - 1) * CATALOGUE_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.courses).where(where),
    tx
      .selectDistinct({ category: schema.courses.category, language: schema.courses.language })
      .from(schema.courses)
      .where(published),
  ]);
  const categories = [...new Set(facets.flatMap((f) => (f.category ? [f.category] : [])))].sort();
  const languages = [...new Set(facets.map((f) => f.language))].sort();
  return { rows, total: total?.n ?? 0, page: input.page, pageSize: CATALOGUE_PAGE_SIZE, query: input, categories, languages };
}

/**
 * A published course's landing page: settings, outline titles (never content), instructors, and, for a
 * signed-in member, their enrolment. Staff of the course may also see it while it is a draft.
 */
export async function courseLanding(tx: Tx, slug: string, viewer: MemberContext | null) {
  const [course] = await tx.select().from(schema.courses).where(eq(schema.courses.slug, slug)).limit(1);
  if (!course) throw new NotFoundError('courseNotFound');
  const [enrolment] = viewer
    ? await tx
        .select({ id: schema.enrolments.id, role: schema.enrolments.role, status: schema.enrolments.status })
        .from(schema.enrolments)
        .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, viewer.user.id)))
        .limit(1)
    : [];
  // Drafts are for the course's staff and org admins, decided here whoever calls.
  const staff = (viewer !== null && hasRole(viewer.role, 'admin')) || (enrolment?.status === 'active' && enrolment.role !== 'learner');
  if (course.status !== 'published' && !staff) throw new NotFoundError('courseNotFound');
  const [outline, instructors] = await Promise.all([
    loadOutline(tx, course.id),
    tx
      .select({ name: schema.users.name, role: schema.enrolments.role })
      .from(schema.enrolments)
      .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
      .where(and(eq(schema.enrolments.courseId, course.id), inArray(schema.enrolments.role, ['instructor', 'ta']), eq(schema.enrolments.status, 'active')))
      .orderBy(asc(schema.enrolments.role), asc(schema.users.name))
      .limit(20),
  ]);
  return {
    course,
    modules: outline.modules.map((m) => ({ id: m.id, title: m.title, items: m.items.map((i) => ({ id: i.id, title: i.title, kind: i.kind })) })),
    instructors: instructors as { name: string; role: CourseRole }[],
    enrolment: enrolment ?? null,
    seatsLeft: course.capacity == null ? null : Math.max(0, course.capacity - course.seatsTaken),
  };
}

