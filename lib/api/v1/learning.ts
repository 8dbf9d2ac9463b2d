import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import { assertRole } from '@/lib/auth/context';
import { assertCanTeach } from '@/lib/courses/permissions';
import { gradebookPage } from '@/lib/gradebook/service';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { endpoint, listOf } from '../endpoint';
import { decodeCursor, encodeCursor, nextLink, PageQuery, pageOf, pageSize } from '../pagination';
import { ApiProblem } from '../problem';
import { after, cursorText, findCourse, findEnrolment, findMembership, iso, Ref, Timestamp } from './common';

// ---- Progress -------------------------------------------------------------------------------------------

export const Progress = z
  .object({
    enrolment_id: z.uuid(),
    course_id: z.uuid(),
    required_items: z.int(),
    completed_required_items: z.int(),
    percent: z.number().meta({ description: 'Completed required items, 0–100.' }),
    completed_at: Timestamp.nullable().meta({ description: 'When the course was completed (all required items).' }),
    last_activity_at: Timestamp.nullable(),
    items: z.array(z.object({ item_id: z.uuid(), required: z.boolean(), completed_at: Timestamp.nullable() })),
  })
  .meta({ id: 'Progress' });

export const getProgress = endpoint({
  operationId: 'getProgress',
  method: 'GET',
  path: '/enrolments/{enrolment}/progress',
  tag: 'Progress',
  summary: "An enrolment's progress: every item with its completion, and the course completion",
  scope: 'progress:read',
  params: z.object({ enrolment: Ref }),
  response: Progress,
  problems: [404],
  handler: async (tx, ctx, { params }) => {
    const e = await findEnrolment(tx, params.enrolment);
    await assertCanTeach(tx, ctx, e.courseId);
    const items = await tx
      .select({ id: schema.courseItems.id, required: schema.courseItems.required, completedAt: schema.itemProgress.completedAt })
      .from(schema.courseItems)
      .innerJoin(schema.courseModules, and(eq(schema.courseModules.tenantId, schema.courseItems.tenantId), eq(schema.courseModules.id, schema.courseItems.moduleId)))
      .leftJoin(schema.itemProgress, and(eq(schema.itemProgress.tenantId, schema.courseItems.tenantId), eq(schema.itemProgress.itemId, schema.courseItems.id), eq(schema.itemProgress.enrolmentId, e.id)))
      .where(eq(schema.courseItems.courseId, e.courseId))
      .orderBy(asc(schema.courseModules.position), asc(schema.courseItems.position));
    const required = items.filter((i) => i.required);
    const done = required.filter((i) => i.completedAt).length;
    return {
      body: {
        enrolment_id: e.id,
        course_id: e.courseId,
        required_items: required.length,
        completed_required_items: done,
        percent: required.length ? Math.round((done / required.length) * 1000) / 10 : 0,
        completed_at: iso(e.completedAt),
        last_activity_at: iso(e.lastActivityAt),
        items: items.map((i) => ({ item_id: i.id, required: i.required, completed_at: iso(i.completedAt) })),
      },
    };
  },
});

// ---- Gradebook ------------------------------------------------------------------------------------------

const GradeCell = z.object({
  item_id: z.uuid(),
  score: z.number().nullable().meta({ description: 'The score that counts (an override when there is one); null when ungraded or excused.' }),
  points_possible: z.number(),
  excused: z.boolean(),
  overridden: z.boolean(),
  released: z.boolean().meta({ description: 'Visible to the learner.' }),
});

export const GradebookRow = z
  .object({
    enrolment_id: z.uuid(),
    user_id: z.uuid(),
    name: z.string(),
    email: z.string(),
    total_percent: z.number().nullable(),
    letter: z.string().nullable(),
    grades: z.array(GradeCell),
  })
  .meta({ id: 'GradebookRow' });

export const GRADEBOOK_API_PAGE = 50;

export const listGradebook = endpoint({
  operationId: 'listGradebookRows',
  method: 'GET',
  path: '/courses/{course}/gradebook',
  tag: 'Grades',
  summary: "A course's gradebook: one row per active learner with every grade, the total and the letter",
  description: `Pages of ${GRADEBOOK_API_PAGE} learners ordered by name; follow \`next_cursor\` / \`Link\`. Staff view: hidden grades are included, marked \`released: false\`.`,
  scope: 'grades:read',
  paginated: true,
  params: z.object({ course: Ref }),
  query: z.strictObject({ cursor: PageQuery.cursor }),
  response: listOf(GradebookRow),
  problems: [404],
  handler: async (tx, ctx, { params, query, requestUrl }) => {
    const course = await findCourse(tx, params.course);
    const position = decodeCursor(query.cursor);
    if (position && position.i !== course.id) throw new ApiProblem('invalid-cursor', 'This cursor belongs to another course.');
    const page = position ? Number(position.k) : 1;
    if (!Number.isInteger(page) || page < 1) throw new ApiProblem('invalid-cursor', 'The cursor is not one this API issued.');
    const book = await gradebookPage(tx, ctx, course.slug, { page: String(page), sort: 'name' });
    const next = page * book.pageSize < book.total ? encodeCursor({ k: String(page + 1), i: course.id }) : null;
    return {
      body: {
        data: book.rows.map((r) => ({
          enrolment_id: r.enrolmentId,
          user_id: r.userId,
          name: r.name,
          email: r.email,
          total_percent: r.total,
          letter: r.letter,
          grades: book.items.map((item) => {
            const c = r.cells[item.id];
            return {
              item_id: item.id,
              score: c?.counted ?? null,
              points_possible: c?.pointsPossible ?? item.pointsPossible ?? 0,
              excused: c?.excused ?? false,
              overridden: c?.overrideScore != null,
              released: c?.released ?? false,
            };
          }),
        })),
        next_cursor: next,
      },
      headers: nextLink(requestUrl, next),
    };
  },
});

// ---- Quiz attempts --------------------------------------------------------------------------------------

export const Attempt = z
  .object({
    id: z.uuid(),
    item_id: z.uuid().meta({ description: 'The quiz (a course item).' }),
    enrolment_id: z.uuid(),
    number: z.int(),
    status: z.string().meta({ description: 'in_progress, submitted or graded' }),
    score: z.number().nullable(),
    points_possible: z.number().nullable(),
    started_at: Timestamp,
    submitted_at: Timestamp.nullable(),
    graded_at: Timestamp.nullable(),
    released: z.boolean(),
  })
  .meta({ id: 'QuizAttempt' });

export const listAttempts = endpoint({
  operationId: 'listQuizAttempts',
  method: 'GET',
  path: '/courses/{course}/quiz-attempts',
  tag: 'Grades',
  summary: "A course's quiz attempts (scores, no answers)",
  scope: 'attempts:read',
  paginated: true,
  params: z.object({ course: Ref }),
  query: z.strictObject({ ...PageQuery, enrolment: Ref.optional(), started_since: Timestamp.optional() }),
  response: listOf(Attempt),
  problems: [404],
  handler: async (tx, ctx, { params, query, requestUrl }) => {
    const course = await findCourse(tx, params.course);
    await assertCanTeach(tx, ctx, course.id);
    const enrolment = query.enrolment ? await findEnrolment(tx, query.enrolment) : null;
    if (enrolment && enrolment.courseId !== course.id) throw new ApiProblem('not-found', `Enrolment ${query.enrolment} is not in this course.`);
    const size = pageSize(query.limit);
    const position = decodeCursor(query.cursor);
    const a = schema.quizAttempts;
    const rows = await tx
      .select({ attempt: a, cursorAt: cursorText(a.startedAt) })
      .from(a)
      .innerJoin(schema.enrolments, and(eq(schema.enrolments.tenantId, a.tenantId), eq(schema.enrolments.id, a.enrolmentId)))
      .where(
        and(
          eq(schema.enrolments.courseId, course.id),
          enrolment ? eq(a.enrolmentId, enrolment.id) : undefined,
          query.started_since ? gte(a.startedAt, sql`${query.started_since}::timestamptz`) : undefined,
          position ? after(a.startedAt, a.id, position) : undefined,
        ),
      )
      .orderBy(asc(a.startedAt), asc(a.id))
      .limit(size + 1);
    const page = pageOf(rows, size, (r) => ({ k: r.cursorAt, i: r.attempt.id }));
    return {
      body: {
        data: page.rows.map(({ attempt: t }) => ({
          id: t.id,
          item_id: t.itemId,
          enrolment_id: t.enrolmentId,
          number: t.number,
          status: t.status,
          score: t.score,
          points_possible: t.pointsPossible,
          started_at: iso(t.startedAt)!,
          submitted_at: iso(t.submittedAt),
          graded_at: iso(t.gradedAt),
          released: t.releasedAt !== null,
        })),
        next_cursor: page.next,
      },
      headers: nextLink(requestUrl, page.next),
    };
  },
});

// ---- Certificates ---------------------------------------------------------------------------------------

export const Certificate = z
  .object({
    id: z.uuid(),
    code: z.string(),
    user_id: z.uuid(),
    recipient_name: z.string(),
    title: z.string(),
    course_id: z.uuid().nullable(),
    program_id: z.uuid().nullable(),
    issued_at: Timestamp,
    revoked_at: Timestamp.nullable(),
    verify_url: z.url(),
  })
  .meta({ id: 'Certificate' });

export const listCertificates = endpoint({
  operationId: 'listCertificates',
  method: 'GET',
  path: '/certificates',
  tag: 'Certificates',
  summary: 'Certificates issued by the organisation, oldest first',
  scope: 'certificates:read',
  paginated: true,
  query: z.strictObject({ ...PageQuery, member: Ref.optional(), course: Ref.optional(), issued_since: Timestamp.optional() }),
  response: listOf(Certificate),
  problems: [404],
  handler: async (tx, ctx, { query, requestUrl }) => {
    assertRole(ctx, 'admin');
    const member = query.member ? await findMembership(tx, query.member) : null;
    const course = query.course ? await findCourse(tx, query.course) : null;
    const size = pageSize(query.limit);
    const position = decodeCursor(query.cursor);
    const c = schema.certificates;
    const rows = await tx
      .select({ cert: c, cursorAt: cursorText(c.issuedAt) })
      .from(c)
      .where(
        and(
          eq(c.tenantId, ctx.tenant.id),
          member ? eq(c.userId, member.userId) : undefined,
          course ? eq(c.courseId, course.id) : undefined,
          query.issued_since ? gte(c.issuedAt, sql`${query.issued_since}::timestamptz`) : undefined,
          position ? after(c.issuedAt, c.id, position) : undefined,
        ),
      )
      .orderBy(asc(c.issuedAt), asc(c.id))
      .limit(size + 1);
    const page = pageOf(rows, size, (r) => ({ k: r.cursorAt, i: r.cert.id }));
    const origin = tenantOrigin(ctx.tenant.slug);
    return {
      body: {
        data: page.rows.map(({ cert }) => ({
          id: cert.id,
          code: cert.code,
          user_id: cert.userId,
          recipient_name: cert.recipientName,
          title: cert.title,
          course_id: cert.courseId,
          program_id: cert.programId,
          issued_at: iso(cert.issuedAt)!,
          revoked_at: iso(cert.revokedAt),
          verify_url: `${origin}/verify/${cert.code}`,
        })),
        next_cursor: page.next,
      },
      headers: nextLink(requestUrl, page.next),
    };
  },
});

