import { and, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { recordAudit, type AuditActor } from '@/lib/audit/service';
import { assertSeats } from '@/lib/billing/entitlements';
import { assertCanAuthor, findCourseById, type CourseRole } from '@/lib/courses/permissions';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { emit, emitMany } from '@/lib/events/outbox';

export type Enrolment = typeof schema.enrolments.$inferSelect;

/**
 * Take `n` learner seats, or fail if the course would go over capacity. One conditional UPDATE: it
 * row-locks the course, so concurrent enrolments queue on it and never oversell (50 racing for 10 seats → 10).
 */
export async function takeSeats(tx: Tx, courseId: string, n: number): Promise<void> {
  if (n <= 0) return;
  const taken = await tx
    .update(schema.courses)
    .set({ seatsTaken: sql`${schema.courses.seatsTaken} + ${n}` })
    .where(and(eq(schema.courses.id, courseId), sql`(${schema.courses.capacity} is null or ${schema.courses.seatsTaken} + ${n} <= ${schema.courses.capacity})`))
    .returning({ id: schema.courses.id });
  if (!taken.length) throw new ConflictError('courseFull');
}

export async function releaseSeats(tx: Tx, courseId: string, n: number): Promise<void> {
  if (n <= 0) return;
  await tx
    .update(schema.courses)
    .set({ seatsTaken: sql`greatest(${schema.courses.seatsTaken} - ${n}, 0)` })
    .where(eq(schema.courses.id, courseId));
}

const seatOf = (e: Pick<Enrolment, 'role' | 'status'>) => (e.role === 'learner' && e.status === 'active' ? 1 : 0);

async function emitEnrolled(tx: Tx, tenantId: string, e: Pick<Enrolment, 'id' | 'courseId' | 'userId' | 'role'>, source: string) {
  await emit(tx, tenantId, 'lectern/enrolment.created.v1', { enrolmentId: e.id, courseId: e.courseId, userId: e.userId, role: e.role, source });
}

/** Who may join a course by themselves, given its settings (not its capacity). */
function assertOpenForEnrolment(course: typeof schema.courses.$inferSelect, now = new Date()) {
  if (course.status !== 'published') throw new NotFoundError('courseNotFound');
  if (course.enrolmentMode === 'invite') throw new ForbiddenError('courseInviteOnly');
  if (course.endsAt && course.endsAt <= now) throw new ValidationError('courseEnded');
}

/**
 * The learner's own "Enrol" button: an open course enrols at once (if a seat is free), an approval course
 * files a request, an invite-only course refuses. Returns the enrolment as it now stands.
 */
export async function selfEnrol(tx: Tx, ctx: MemberContext, courseId: string): Promise<Enrolment> {
  const course = await findCourseById(tx, courseId);
  assertOpenForEnrolment(course);
  if (course.priceCents !== null) throw new ForbiddenError('courseIsPaid');
  await assertSeats(tx, ctx.tenant.id, { add: 0 });
  const pending = course.enrolmentMode === 'approval';
  const [existing] = await tx
    .select()
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, ctx.user.id)))
    .limit(1);
  if (existing?.status === 'active') throw new ConflictError('alreadyEnrolled');
  if (existing?.status === 'pending') throw new ConflictError('alreadyRequested');
  if (existing) {
    // A declined request may be made again; if the course has since opened, it enrols at once.
    const [again] = await tx
      .update(schema.enrolments)
      .set(pending ? { status: 'pending', createdAt: new Date() } : { status: 'active', role: 'learner', enrolledAt: new Date() })
      .where(and(eq(schema.enrolments.id, existing.id), eq(schema.enrolments.status, 'declined')))
      .returning();
    if (!again) throw new ConflictError('alreadyRequested');
    if (!pending) {
      await takeSeats(tx, courseId, 1);
      await emitEnrolled(tx, ctx.tenant.id, again, 'self');
    }
    return again;
  }
  const [row] = await tx
    .insert(schema.enrolments)
    .values({ tenantId: ctx.tenant.id, courseId, userId: ctx.user.id, role: 'learner', status: pending ? 'pending' : 'active', enrolledAt: pending ? null : new Date() })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError('alreadyEnrolled'); // a double-click raced us
  if (!pending) {
    await takeSeats(tx, courseId, 1);
    await emitEnrolled(tx, ctx.tenant.id, row, 'self');
  }
  return row;
}

/** The enrolment, row-locked: two staff (or a learner and staff) acting on it at once take turns. */
async function findEnrolment(tx: Tx, enrolmentId: string): Promise<Enrolment> {
  const [e] = await tx.select().from(schema.enrolments).where(eq(schema.enrolments.id, enrolmentId)).limit(1).for('update');
  if (!e) throw new NotFoundError('enrolmentNotFound');
  return e;
}

/** An instructor approves (takes a seat) or declines a request to join. */
export async function decideRequest(tx: Tx, ctx: MemberContext, enrolmentId: string, decision: 'approve' | 'decline'): Promise<void> {
  const e = await findEnrolment(tx, enrolmentId);
  await assertCanAuthor(tx, ctx, e.courseId);
  const pendingOnly = and(eq(schema.enrolments.id, e.id), eq(schema.enrolments.status, 'pending'));
  const decided = await tx
    .update(schema.enrolments)
    .set(decision === 'decline' ? { status: 'declined' } : { status: 'active', enrolledAt: new Date() })
    .where(pendingOnly)
    .returning({ id: schema.enrolments.id });
  if (!decided.length) throw new ConflictError('requestAlreadyDecided');
  if (decision === 'decline') return;
  await assertSeats(tx, ctx.tenant.id, { add: 0 });
  await takeSeats(tx, e.courseId, seatOf({ role: e.role, status: 'active' }));
  await emitEnrolled(tx, ctx.tenant.id, e, 'approval');
}

export type EnrolByEmailRow = { email: string; role: CourseRole };
export type EnrolByEmailResult = { added: number; alreadyEnrolled: number };

/**
 * Staff add people who are already members of the organisation, in one transaction: every address must
 * be a member (the preview says which are not), seats are taken for all learners at once or not at all.
 * People already enrolled are left as they are (a pending request is approved).
 */
export async function enrolMembers(tx: Tx, ctx: MemberContext, courseId: string, rows: EnrolByEmailRow[]): Promise<EnrolByEmailResult> {
  await assertCanAuthor(tx, ctx, courseId);
  if (rows.some((r) => r.role === 'learner')) await assertSeats(tx, ctx.tenant.id, { add: 0 });
  const emails = [...new Set(rows.map((r) => r.email))];
  const members = emails.length
    ? await tx
        .select({ userId: schema.memberships.userId, email: schema.users.email })
        .from(schema.memberships)
        .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
        .where(inArray(schema.users.email, emails))
    : [];
  const userByEmail = new Map(members.map((m) => [m.email, m.userId]));
  const missing = emails.find((e) => !userByEmail.has(e));
  if (missing) throw new ValidationError('memberNotFoundByEmail', { field: 'emails', params: { email: missing } });
  const roleByUser = new Map(rows.map((r) => [userByEmail.get(r.email)!, r.role]));
  const userIds = [...roleByUser.keys()];
  const existing = userIds.length
    ? await tx.select().from(schema.enrolments).where(and(eq(schema.enrolments.courseId, courseId), inArray(schema.enrolments.userId, userIds)))
    : [];
  const existingByUser = new Map(existing.map((e) => [e.userId, e]));
  const now = new Date();
  const fresh = userIds.filter((u) => !existingByUser.has(u));
  const toActivate = existing.filter((e) => e.status !== 'active');
  let inserted: Enrolment[] = [];
  for (let i = 0; i < fresh.length; i += 1000) {
    const chunk = fresh.slice(i, i + 1000);
    inserted = inserted.concat(
      await tx
        .insert(schema.enrolments)
        .values(chunk.map((userId) => ({ tenantId: ctx.tenant.id, courseId, userId, role: roleByUser.get(userId)!, status: 'active' as const, enrolledAt: now })))
        // Someone enrolled at this very moment by another request (two admins, a retry): theirs stands.
        .onConflictDoNothing({ target: [schema.enrolments.tenantId, schema.enrolments.courseId, schema.enrolments.userId] })
        .returning(),
    );
  }
  // A pending or declined enrolment is activated with the role staff asked for now.
  for (const role of ['learner', 'ta', 'instructor'] as const) {
    const ids = toActivate.filter((e) => roleByUser.get(e.userId) === role).map((e) => e.id);
    if (ids.length) await tx.update(schema.enrolments).set({ status: 'active', role, enrolledAt: now }).where(inArray(schema.enrolments.id, ids));
  }
  const activated = toActivate.map((e) => ({ ...e, status: 'active' as const, role: roleByUser.get(e.userId)! }));
  await takeSeats(tx, courseId, [...inserted, ...activated].reduce((n, e) => n + seatOf(e), 0));
  await emitMany(
    tx,
    ctx.tenant.id,
    'lectern/enrolment.created.v1',
    [...inserted, ...activated].map((e) => ({ enrolmentId: e.id, courseId: e.courseId, userId: e.userId, role: e.role, source: 'staff' })),
  );
  await recordAudit(tx, ctx, { action: 'enrolment.added', targetType: 'course', targetId: courseId, after: { added: inserted.length + activated.length } });
  return { added: inserted.length + activated.length, alreadyEnrolled: existing.length - toActivate.length + (fresh.length - inserted.length) };
}

/** Change someone's role in a course (learner / TA / instructor); a course keeps at least one instructor. */
export async function setCourseRole(tx: Tx, ctx: MemberContext, enrolmentId: string, role: CourseRole): Promise<void> {
  const e = await findEnrolment(tx, enrolmentId);
  await assertCanAuthor(tx, ctx, e.courseId);
  if (e.role === role) return;
  if (e.role === 'instructor' && e.status === 'active') await assertNotLastInstructor(tx, e.courseId);
  const before = seatOf(e);
  const after = seatOf({ role, status: e.status });
  // Making someone a learner enrols a learner: the same plan check as every other way in.
  if (after > before) await assertSeats(tx, ctx.tenant.id, { add: 0 });
  await tx.update(schema.enrolments).set({ role }).where(eq(schema.enrolments.id, e.id));
  if (after > before) await takeSeats(tx, e.courseId, 1);
  if (after < before) await releaseSeats(tx, e.courseId, 1);
  await recordAudit(tx, ctx, { action: 'enrolment.role_changed', targetType: 'enrolment', targetId: e.id, before: { role: e.role }, after: { role } });
}

async function assertNotLastInstructor(tx: Tx, courseId: string) {
  // Lock the course first: two instructors demoting each other at once must not leave none.
  await tx.select({ id: schema.courses.id }).from(schema.courses).where(eq(schema.courses.id, courseId)).for('update');
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.role, 'instructor'), eq(schema.enrolments.status, 'active')));
  if ((row?.n ?? 0) <= 1) throw new ConflictError('lastInstructor');
}

/** Remove someone from a course (staff), or leave it (the learner themself). Their progress goes too. */
export async function unenrol(tx: Tx, ctx: MemberContext, enrolmentId: string): Promise<void> {
  const e = await findEnrolment(tx, enrolmentId);
  if (e.userId !== ctx.user.id) await assertCanAuthor(tx, ctx, e.courseId);
  if (e.role === 'instructor' && e.status === 'active') await assertNotLastInstructor(tx, e.courseId);
  const deleted = await tx.delete(schema.enrolments).where(eq(schema.enrolments.id, e.id)).returning({ id: schema.enrolments.id });
  if (!deleted.length) throw new NotFoundError('enrolmentNotFound');
  await releaseSeats(tx, e.courseId, seatOf(e));
  await recordAudit(tx, ctx, { action: 'enrolment.removed', targetType: 'enrolment', targetId: e.id, before: { userId: e.userId, role: e.role } });
}

/** The member's own enrolment in a course, if any. */
export async function myEnrolment(tx: Tx, ctx: MemberContext, courseId: string): Promise<Enrolment | null> {
  const [e] = await tx
    .select()
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, ctx.user.id)))
    .limit(1);
  return e ?? null;
}

/**
 * Someone is leaving the organisation (their enrolments go with the membership): give back the learner
 * seats they held first, so capacity stays true. Called by removeMember in the same transaction.
 */
export async function releaseSeatsOfLeavingMember(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`
    update courses c set seats_taken = greatest(c.seats_taken - 1, 0)
    from enrolments e
    where e.tenant_id = c.tenant_id and e.course_id = c.id and e.user_id = ${userId} and e.role = 'learner' and e.status = 'active'`);
}

/** A learner leaves a course (or withdraws a request to join): their own learner enrolment, progress and all. */
export async function leaveCourse(tx: Tx, ctx: MemberContext, courseId: string): Promise<void> {
  const mine = await myEnrolment(tx, ctx, courseId);
  if (!mine || mine.role !== 'learner') throw new NotFoundError('enrolmentNotFound');
  await unenrol(tx, ctx, mine.id);
}

/**
 * Provisioning (a SCIM group mapped to a course) enrols organisation members as learners, with the rules of
 * staff adding them (enrolMembers): the plan check for people who already hold seats, the course's capacity,
 * a pending or declined request activated, anyone already enrolled (in any course role) left as they are.
 * The authority is the mapping an admin made, so there is no course-author check. Returns how many were enrolled.
 */
export async function enrolProvisioned(tx: Tx, actor: AuditActor, courseId: string, userIds: readonly string[], targetLabel?: string): Promise<number> {
  if (!userIds.length) return 0;
  await findCourseById(tx, courseId);
  await assertSeats(tx, actor.tenant.id, { add: 0 });
  const existing = await tx.select().from(schema.enrolments).where(and(eq(schema.enrolments.courseId, courseId), inArray(schema.enrolments.userId, [...userIds])));
  const known = new Set(existing.map((e) => e.userId));
  const now = new Date();
  const fresh = [...new Set(userIds)].filter((u) => !known.has(u));
  const inserted = fresh.length
    ? await tx
        .insert(schema.enrolments)
        .values(fresh.map((userId) => ({ tenantId: actor.tenant.id, courseId, userId, role: 'learner' as const, status: 'active' as const, enrolledAt: now })))
        .returning()
    : [];
  const toActivate = existing.filter((e) => e.status !== 'active');
  if (toActivate.length) {
    await tx.update(schema.enrolments).set({ status: 'active', role: 'learner', enrolledAt: now }).where(inArray(schema.enrolments.id, toActivate.map((e) => e.id)));
  }
  const enrolled = [...inserted, ...toActivate.map((e) => ({ ...e, role: 'learner' as const }))];
  if (!enrolled.length) return 0;
  await takeSeats(tx, courseId, enrolled.length);
  await emitMany(tx, actor.tenant.id, 'lectern/enrolment.created.v1', enrolled.map((e) => ({ enrolmentId: e.id, courseId, userId: e.userId, role: 'learner', source: 'provisioning' })));
  await recordAudit(tx, actor, { action: 'scim.enrolled', targetType: 'course', targetId: courseId, targetLabel, after: { added: enrolled.length } });
  return enrolled.length;
}

/**
 * Provisioning takes members out of a course (removed from its SCIM group, or the group deleted): their
 * learner enrolment goes, progress and all, as when staff remove them. Course staff (TA, instructor) keep
 * theirs: provisioning only ever made learners. Returns how many were unenrolled.
 */
export async function unenrolProvisioned(tx: Tx, actor: AuditActor, courseId: string, userIds: readonly string[], targetLabel?: string): Promise<number> {
  if (!userIds.length) return 0;
  const gone = await tx
    .delete(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), inArray(schema.enrolments.userId, [...userIds]), eq(schema.enrolments.role, 'learner')))
    .returning({ role: schema.enrolments.role, status: schema.enrolments.status });
  if (!gone.length) return 0;
  await releaseSeats(tx, courseId, gone.reduce((n, e) => n + seatOf(e), 0));
  await recordAudit(tx, actor, { action: 'scim.unenrolled', targetType: 'course', targetId: courseId, targetLabel, before: { removed: gone.length } });
  return gone.length;
}
