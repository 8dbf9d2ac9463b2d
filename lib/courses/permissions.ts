import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { hasRole } from '@/lib/members/roles';

export type CourseRole = (typeof schema.courseRole.enumValues)[number];

/** What a member may do in one course: org admins may do everything; otherwise the course role decides. */
export type CourseAccess = { courseId: string; courseRole: CourseRole | null; canAuthor: boolean; canTeach: boolean };

/** The member's access to a course they can see (RLS already limits rows to this organisation). */
export async function courseAccess(tx: Tx, ctx: MemberContext, courseId: string): Promise<CourseAccess> {
  // Not a uuid cannot be any course: not found, before the database has to reject it.
  if (!z.uuid().safeParse(courseId).success) throw new NotFoundError('courseNotFound');
  // One query: the course must exist here (RLS hides other organisations' courses), with the member's enrolment.
  const [row] = await tx
    .select({ id: schema.courses.id, role: schema.enrolments.role, status: schema.enrolments.status })
    .from(schema.courses)
    .leftJoin(
      schema.enrolments,
      and(eq(schema.enrolments.tenantId, schema.courses.tenantId), eq(schema.enrolments.courseId, schema.courses.id), eq(schema.enrolments.userId, ctx.user.id)),
    )
    .where(eq(schema.courses.id, courseId))
    .limit(1);
  if (!row) throw new NotFoundError('courseNotFound');
  const courseRole = row.status === 'active' ? row.role : null;
  const admin = hasRole(ctx.role, 'admin');
  return {
    courseId,
    courseRole,
    canAuthor: admin || courseRole === 'instructor',
    canTeach: admin || courseRole === 'instructor' || courseRole === 'ta',
  };
}

/** Refuse unless the member may edit this course (its instructors, or an org admin). */
export async function assertCanAuthor(tx: Tx, ctx: MemberContext, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(tx, ctx, courseId);
  if (!access.canAuthor) throw new ForbiddenError();
  return access;
}

/** Refuse unless the member teaches this course (instructor or TA), or is an org admin. */
export async function assertCanTeach(tx: Tx, ctx: MemberContext, courseId: string): Promise<CourseAccess> {
  const access = await courseAccess(tx, ctx, courseId);
  if (!access.canTeach) throw new ForbiddenError();
  return access;
}

/** Creating a course takes an org instructor (or above); the creator becomes its first instructor. */
export function assertCanCreateCourse(ctx: MemberContext): void {
  if (!hasRole(ctx.role, 'instructor')) throw new ForbiddenError();
}

/** A course of this organisation by id, or NotFound (another organisation's id finds nothing under RLS). */
export async function findCourseById(tx: Tx, courseId: string) {
  const [course] = await tx.select().from(schema.courses).where(eq(schema.courses.id, courseId)).limit(1);
  if (!course) throw new NotFoundError('courseNotFound');
  return course;
}
