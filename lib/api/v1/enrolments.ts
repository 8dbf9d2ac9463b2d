import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { assertRole } from '@/lib/auth/context';
import { assertCanTeach } from '@/lib/courses/permissions';
import { enrolMembers, setCourseRole, unenrol } from '@/lib/enrolment/service';
import { endpoint, listOf } from '../endpoint';
import { nextLink, PageQuery, pageOf, pageSize } from '../pagination';
import { ApiProblem } from '../problem';
import { changedAfter, cursorText, findCourse, findEnrolment, findMembership, isUniqueViolation, iso, positionOf, Ref, SisId, Timestamp, UpdatedSince } from './common';

const COURSE_ROLES = ['learner', 'ta', 'instructor'] as const;

export const Enrolment = z
  .object({
    id: z.uuid(),
    course_id: z.uuid(),
    member_id: z.uuid(),
    user_id: z.uuid(),
    role: z.enum(COURSE_ROLES),
    status: z.enum(['active', 'pending', 'declined']),
    sis_id: z.string().nullable(),
    enrolled_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    last_activity_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Enrolment' });

const columns = {
  id: schema.enrolments.id,
  courseId: schema.enrolments.courseId,
  memberId: schema.memberships.id,
  userId: schema.enrolments.userId,
  role: schema.enrolments.role,
  status: schema.enrolments.status,
  sisId: schema.enrolments.sisId,
  enrolledAt: schema.enrolments.enrolledAt,
  completedAt: schema.enrolments.completedAt,
  lastActivityAt: schema.enrolments.lastActivityAt,
  createdAt: schema.enrolments.createdAt,
  updatedAt: schema.enrolments.updatedAt,
  cursorAt: cursorText(schema.enrolments.updatedAt),
};

const toEnrolment = (r: Row): z.infer<typeof Enrolment> => ({
  id: r.id,
  course_id: r.courseId,
  member_id: r.memberId,
  user_id: r.userId,
  role: r.role,
  status: r.status,
  sis_id: r.sisId,
  enrolled_at: iso(r.enrolledAt),
  completed_at: iso(r.completedAt),
  last_activity_at: iso(r.lastActivityAt),
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});

const withMember = (tx: Tx) =>
  tx
    .select(columns)
    .from(schema.enrolments)
    .innerJoin(schema.memberships, and(eq(schema.memberships.tenantId, schema.enrolments.tenantId), eq(schema.memberships.userId, schema.enrolments.userId)));

type Row = Awaited<ReturnType<ReturnType<typeof withMember>['execute']>>[number];

async function enrolmentById(tx: Tx, id: string) {
  const [row] = await withMember(tx).where(eq(schema.enrolments.id, id));
  if (!row) throw new ApiProblem('not-found', `No enrolment ${id}.`);
  return toEnrolment(row);
}

export const listEnrolments = endpoint({
  operationId: 'listEnrolments',
  method: 'GET',
  path: '/enrolments',
  tag: 'Enrolments',
  summary: 'List enrolments, across the organisation or in one course',
  scope: 'enrolments:read',
  paginated: true,
  query: z.strictObject({
    ...PageQuery,
    updated_since: UpdatedSince,
    course: Ref.optional(),
    member: Ref.optional(),
    role: z.enum(COURSE_ROLES).optional(),
    status: z.enum(['active', 'pending', 'declined']).optional(),
    completed: z.enum(['true', 'false']).optional().meta({ description: 'Only completed (or not yet completed) enrolments.' }),
  }),
  response: listOf(Enrolment),
  problems: [404],
  handler: async (tx, ctx, { query, requestUrl }) => {
    const course = query.course ? await findCourse(tx, query.course) : null;
    if (course) await assertCanTeach(tx, ctx, course.id);
    else assertRole(ctx, 'admin');
    const member = query.member ? await findMembership(tx, query.member) : null;
    const size = pageSize(query.limit);
    const rows = await withMember(tx)
      .where(
        and(
          eq(schema.enrolments.tenantId, ctx.tenant.id),
          changedAfter(schema.enrolments.updatedAt, schema.enrolments.id, query.cursor, query.updated_since),
          course ? eq(schema.enrolments.courseId, course.id) : undefined,
          member ? eq(schema.enrolments.userId, member.userId) : undefined,
          query.role ? eq(schema.enrolments.role, query.role) : undefined,
          query.status ? eq(schema.enrolments.status, query.status) : undefined,
          query.completed === 'true' ? isNotNull(schema.enrolments.completedAt) : query.completed === 'false' ? isNull(schema.enrolments.completedAt) : undefined,
        ),
      )
      .orderBy(asc(schema.enrolments.updatedAt), asc(schema.enrolments.id))
      .limit(size + 1);
    const page = pageOf(rows, size, positionOf);
    return { body: { data: page.rows.map(toEnrolment), next_cursor: page.next }, headers: nextLink(requestUrl, page.next) };
  },
});

export const getEnrolment = endpoint({
  operationId: 'getEnrolment',
  method: 'GET',
  path: '/enrolments/{enrolment}',
  tag: 'Enrolments',
  summary: 'Get one enrolment by id or sis:<id>',
  scope: 'enrolments:read',
  params: z.object({ enrolment: Ref }),
  response: Enrolment,
  problems: [404],
  handler: async (tx, ctx, { params }) => {
    const e = await findEnrolment(tx, params.enrolment);
    await assertCanTeach(tx, ctx, e.courseId);
    return { body: await enrolmentById(tx, e.id) };
  },
});

async function setSisId(tx: Tx, enrolmentId: string, sisId: string | null) {
  try {
    await tx.update(schema.enrolments).set({ sisId }).where(eq(schema.enrolments.id, enrolmentId));
  } catch (e) {
    if (isUniqueViolation(e, 'enrolments_sis_key')) throw new ApiProblem('conflict', `sis_id "${sisId}" already belongs to another enrolment.`);
    throw e;
  }
}

export const createEnrolment = endpoint({
  operationId: 'createEnrolment',
  method: 'POST',
  path: '/enrolments',
  tag: 'Enrolments',
  summary: 'Enrol a member in a course',
  description:
    'The member must belong to the organisation. Enrolling a learner passes the plan\'s seat check and the course\'s capacity, like the roster page. Enrolling someone already enrolled returns their enrolment (200) with its role unchanged; a new one answers 201. Send an Idempotency-Key to retry safely.',
  scope: 'enrolments:write',
  idempotent: true,
  body: z.strictObject({
    course: Ref.meta({ description: 'Course id or sis:<id>' }),
    member: Ref.meta({ description: 'Member id or sis:<id>' }),
    role: z.enum(COURSE_ROLES).default('learner'),
    sis_id: SisId.optional(),
  }),
  response: Enrolment,
  problems: [402, 404, 409, 422],
  handler: async (tx, ctx, { body }) => {
    const course = await findCourse(tx, body.course);
    const member = await findMembership(tx, body.member);
    // Two requests for the same pair take turns: the second finds the first's enrolment (200) instead of a unique violation (500).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lectern:enrol:${course.id}:${member.userId}`}, 0))`);
    const result = await enrolMembers(tx, ctx, course.id, [{ email: member.email, role: body.role }]);
    const [row] = await tx
      .select({ id: schema.enrolments.id })
      .from(schema.enrolments)
      .where(and(eq(schema.enrolments.courseId, course.id), eq(schema.enrolments.userId, member.userId)));
    if (body.sis_id !== undefined) await setSisId(tx, row!.id, body.sis_id);
    const headers: Record<string, string> = result.added ? { Location: `/api/v1/enrolments/${row!.id}` } : {};
    return { body: await enrolmentById(tx, row!.id), status: result.added ? 201 : 200, headers };
  },
});

export const updateEnrolment = endpoint({
  operationId: 'updateEnrolment',
  method: 'PATCH',
  path: '/enrolments/{enrolment}',
  tag: 'Enrolments',
  summary: "Change an enrolment's course role or external id",
  scope: 'enrolments:write',
  params: z.object({ enrolment: Ref }),
  body: z.strictObject({ role: z.enum(COURSE_ROLES).optional(), sis_id: SisId.optional() }),
  response: Enrolment,
  problems: [402, 404, 409, 422],
  handler: async (tx, ctx, { params, body }) => {
    const e = await findEnrolment(tx, params.enrolment);
    await assertCanTeach(tx, ctx, e.courseId);
    if (body.role !== undefined) await setCourseRole(tx, ctx, e.id, body.role);
    if (body.sis_id !== undefined) await setSisId(tx, e.id, body.sis_id);
    return { body: await enrolmentById(tx, e.id) };
  },
});

export const deleteEnrolment = endpoint({
  operationId: 'deleteEnrolment',
  method: 'DELETE',
  path: '/enrolments/{enrolment}',
  tag: 'Enrolments',
  summary: 'Remove someone from a course (their progress goes too)',
  scope: 'enrolments:write',
  params: z.object({ enrolment: Ref }),
  problems: [404, 409],
  handler: async (tx, ctx, { params }) => {
    const e = await findEnrolment(tx, params.enrolment);
    await unenrol(tx, ctx, e.id);
    return { status: 204 };
  },
});
