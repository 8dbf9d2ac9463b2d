import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { assertRole } from '@/lib/auth/context';
import { assertCanAuthor, assertCanTeach } from '@/lib/courses/permissions';
import { endpoint, listOf } from '../endpoint';
import { nextLink, PageQuery, pageOf, pageSize } from '../pagination';
import { ApiProblem } from '../problem';
import { changedAfter, cursorText, findCourse, isUniqueViolation, iso, positionOf, Ref, SisId, Timestamp, UpdatedSince } from './common';

const STATUSES = ['draft', 'published', 'archived'] as const;

export const Course = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    status: z.enum(STATUSES),
    enrolment_mode: z.enum(['open', 'approval', 'invite']),
    language: z.string(),
    category: z.string().nullable(),
    capacity: z.int().nullable(),
    seats_taken: z.int(),
    price: z.object({ amount: z.int().meta({ description: 'Minor units (cents).' }), currency: z.string() }).nullable(),
    sis_id: z.string().nullable(),
    starts_at: Timestamp.nullable(),
    ends_at: Timestamp.nullable(),
    published_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Course' });

type CourseRow = typeof schema.courses.$inferSelect;

export const toCourse = (c: CourseRow): z.infer<typeof Course> => ({
  id: c.id,
  slug: c.slug,
  title: c.title,
  summary: c.summary,
  status: c.status,
  enrolment_mode: c.enrolmentMode,
  language: c.language,
  category: c.category,
  capacity: c.capacity,
  seats_taken: c.seatsTaken,
  price: c.priceCents !== null && c.priceCurrency ? { amount: c.priceCents, currency: c.priceCurrency } : null,
  sis_id: c.sisId,
  starts_at: iso(c.startsAt),
  ends_at: iso(c.endsAt),
  published_at: iso(c.publishedAt),
  created_at: iso(c.createdAt)!,
  updated_at: iso(c.updatedAt)!,
});

export const listCourses = endpoint({
  operationId: 'listCourses',
  method: 'GET',
  path: '/courses',
  tag: 'Courses',
  summary: 'List the courses of the organisation',
  scope: 'courses:read',
  paginated: true,
  query: z.strictObject({ ...PageQuery, updated_since: UpdatedSince, status: z.enum(STATUSES).optional() }),
  response: listOf(Course),
  handler: async (tx, ctx, { query, requestUrl }) => {
    assertRole(ctx, 'admin');
    const size = pageSize(query.limit);
    const rows = await tx
      .select({ course: schema.courses, cursorAt: cursorText(schema.courses.updatedAt) })
      .from(schema.courses)
      .where(
        and(
          eq(schema.courses.tenantId, ctx.tenant.id),
          changedAfter(schema.courses.updatedAt, schema.courses.id, query.cursor, query.updated_since),
          query.status ? eq(schema.courses.status, query.status) : undefined,
        ),
      )
      .orderBy(asc(schema.courses.updatedAt), asc(schema.courses.id))
      .limit(size + 1);
    const page = pageOf(rows, size, (r) => positionOf({ cursorAt: r.cursorAt, id: r.course.id }));
    return { body: { data: page.rows.map((r) => toCourse(r.course)), next_cursor: page.next }, headers: nextLink(requestUrl, page.next) };
  },
});

export const getCourse = endpoint({
  operationId: 'getCourse',
  method: 'GET',
  path: '/courses/{course}',
  tag: 'Courses',
  summary: 'Get one course by id or sis:<id>',
  scope: 'courses:read',
  params: z.object({ course: Ref }),
  response: Course,
  problems: [404],
  handler: async (tx, ctx, { params }) => {
    const course = await findCourse(tx, params.course);
    await assertCanTeach(tx, ctx, course.id);
    return { body: toCourse(course) };
  },
});

export const updateCourse = endpoint({
  operationId: 'updateCourse',
  method: 'PATCH',
  path: '/courses/{course}',
  tag: 'Courses',
  summary: "Set a course's external id",
  scope: 'courses:write',
  params: z.object({ course: Ref }),
  body: z.strictObject({ sis_id: SisId }),
  response: Course,
  problems: [404, 409, 422],
  handler: async (tx, ctx, { params, body }) => {
    const course = await findCourse(tx, params.course);
    await assertCanAuthor(tx, ctx, course.id);
    try {
      const [updated] = await tx.update(schema.courses).set({ sisId: body.sis_id }).where(eq(schema.courses.id, course.id)).returning();
      return { body: toCourse(updated!) };
    } catch (e) {
      if (isUniqueViolation(e, 'courses_sis_key')) throw new ApiProblem('conflict', `sis_id "${body.sis_id}" already belongs to another course.`);
      throw e;
    }
  },
});

const Item = z.object({
  id: z.uuid(),
  kind: z.string().meta({ description: 'lesson, video, file, link, quiz or assignment' }),
  title: z.string(),
  position: z.int(),
  required: z.boolean(),
});

export const Module = z
  .object({ id: z.uuid(), title: z.string(), position: z.int(), items: z.array(Item) })
  .meta({ id: 'Module' });

export const listModules = endpoint({
  operationId: 'listModules',
  method: 'GET',
  path: '/courses/{course}/modules',
  tag: 'Courses',
  summary: "A course's modules and their items, in order",
  description: 'Titles and structure only: lesson content, answer keys and files are not part of the API.',
  scope: 'courses:read',
  params: z.object({ course: Ref }),
  response: z.object({ data: z.array(Module) }),
  problems: [404],
  handler: async (tx, ctx, { params }) => {
    const course = await findCourse(tx, params.course);
    await assertCanTeach(tx, ctx, course.id);
    const modules = await tx.select().from(schema.courseModules).where(eq(schema.courseModules.courseId, course.id)).orderBy(asc(schema.courseModules.position));
    const items = modules.length
      ? await tx
          .select({ id: schema.courseItems.id, moduleId: schema.courseItems.moduleId, kind: schema.courseItems.kind, title: schema.courseItems.title, position: schema.courseItems.position, required: schema.courseItems.required })
          .from(schema.courseItems)
          .where(inArray(schema.courseItems.moduleId, modules.map((m) => m.id)))
          .orderBy(asc(schema.courseItems.position))
      : [];
    return {
      body: {
        data: modules.map((m) => ({
          id: m.id,
          title: m.title,
          position: m.position,
          items: items.filter((i) => i.moduleId === m.id).map(({ moduleId: _, ...i }) => i),
        })),
      },
    };
  },
});
