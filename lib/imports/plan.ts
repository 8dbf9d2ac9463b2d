import { and, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertSeats, BillingLimitError } from '@/lib/billing/entitlements';
import type { CourseRole } from '@/lib/courses/permissions';
import type { Role } from '@/lib/members/roles';
import type { EnrolmentRow, OrgRole, RowError, UserRow } from './rows';

/**
 * What each checked row would do to the organisation as it is now. The dry run and every applied batch
 * call the same functions, so a batch re-checks its rows against the database of that moment: a person who
 * joined meanwhile is updated instead of created, a SIS id taken meanwhile fails that row. With `lock`
 * (apply) the rows read are locked until the batch commits.
 */

export type Action = 'create' | 'update' | 'unchanged';

export type UserPlan = {
  row: UserRow;
  action: Action;
  /** Learner seats this row takes (+1), gives back (-1) or leaves (0). */
  seat: -1 | 0 | 1;
  /** The file names an existing account differently: names belong to the person, so it is kept. */
  nameKept: boolean;
  member: { id: string; userId: string; role: Role; sisId: string | null } | null;
};

export type EnrolmentPlan = {
  row: EnrolmentRow;
  action: Action;
  /** Course learner seats this row takes (+1) or gives back (-1). */
  seat: -1 | 0 | 1;
  userId: string;
  courseId: string;
  /** The role the enrolment will have. */
  role: CourseRole;
  existing: { id: string; role: CourseRole; status: 'active' | 'pending' | 'declined'; sisId: string | null } | null;
};

const CHUNK = 5000;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

type MemberRow = { id: string; userId: string; role: Role; sisId: string | null; deactivatedAt: Date | null; email: string; name: string };

async function membersByEmail(tx: Tx, emails: string[], lock: boolean): Promise<Map<string, MemberRow>> {
  const out = new Map<string, MemberRow>();
  for (const chunk of chunks([...new Set(emails)])) {
    const q = tx
      .select({ id: schema.memberships.id, userId: schema.memberships.userId, role: schema.memberships.role, sisId: schema.memberships.sisId, deactivatedAt: schema.memberships.deactivatedAt, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(inArray(schema.users.email, chunk));
    for (const m of lock ? await q.for('update', { of: schema.memberships }) : await q) out.set(m.email, m);
  }
  return out;
}

async function membersBySis(tx: Tx, sisIds: string[]): Promise<Map<string, MemberRow>> {
  const out = new Map<string, MemberRow>();
  for (const chunk of chunks([...new Set(sisIds)])) {
    const rows = await tx
      .select({ id: schema.memberships.id, userId: schema.memberships.userId, role: schema.memberships.role, sisId: schema.memberships.sisId, deactivatedAt: schema.memberships.deactivatedAt, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(inArray(schema.memberships.sisId, chunk));
    for (const m of rows) out.set(m.sisId!, m);
  }
  return out;
}

/**
 * Users rows: a new email is a new member (name required: the rule is the same whether or not the person
 * has a Lectern account elsewhere, so the check reveals nothing about other organisations); a member's
 * role and SIS id are updated where the file gives a different value; an empty cell keeps what is there.
 */
export async function planUsers(tx: Tx, ctx: MemberContext, rows: UserRow[], opts: { lock: boolean }): Promise<{ plans: UserPlan[]; errors: RowError[] }> {
  const byEmail = await membersByEmail(
    tx,
    rows.map((r) => r.email),
    opts.lock,
  );
  const bySis = await membersBySis(
    tx,
    rows.flatMap((r) => (r.sisId ? [r.sisId] : [])),
  );
  const plans: UserPlan[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const member = byEmail.get(row.email);
    const mine: RowError[] = [];
    const holder = row.sisId ? bySis.get(row.sisId) : undefined;
    if (holder && holder.email !== row.email) mine.push({ line: row.line, field: 'sis_id', message: 'sisTaken', params: { sis: row.sisId!, email: holder.email } });
    if (!member) {
      if (!row.name) mine.push({ line: row.line, field: 'name', message: 'nameMissing' });
      if (mine.length) {
        errors.push(...mine);
        continue;
      }
      const role = row.role ?? 'learner';
      plans.push({ row, action: 'create', seat: role === 'learner' ? 1 : 0, nameKept: false, member: null });
      continue;
    }
    if (member.deactivatedAt) mine.push({ line: row.line, field: 'email', message: 'memberDeactivated' });
    const roleChanges = row.role !== null && row.role !== member.role;
    if (roleChanges && member.role === 'owner') mine.push({ line: row.line, field: 'role', message: 'ownerChange' });
    else if (roleChanges && member.id === ctx.membershipId) mine.push({ line: row.line, field: 'role', message: 'ownRoleChange' });
    if (mine.length) {
      errors.push(...mine);
      continue;
    }
    const sisChanges = row.sisId !== null && row.sisId !== member.sisId;
    const seat = !roleChanges ? 0 : row.role === 'learner' ? 1 : member.role === 'learner' ? -1 : 0;
    plans.push({
      row,
      action: roleChanges || sisChanges ? 'update' : 'unchanged',
      seat,
      nameKept: row.name !== null && member.name !== row.name,
      member: { id: member.id, userId: member.userId, role: member.role, sisId: member.sisId },
    });
  }
  return { plans, errors };
}

/** The organisation seat check for enrolling learners (THE check, with add: 0): refused only while over the limit. */
async function orgSeatProblem(tx: Tx, tenantId: string): Promise<boolean> {
  try {
    await assertSeats(tx, tenantId, { add: 0 });
    return false;
  } catch (e) {
    if (e instanceof BillingLimitError) return true;
    throw e;
  }
}

type CourseRowDb = { id: string; slug: string; sisId: string | null; capacity: number | null; seatsTaken: number };

/**
 * Enrolments rows: the person (by email or user_sis_id; both must agree) must be an active member and the
 * course (slug or `sis:<id>`) must be this organisation's — RLS hides every other organisation's courses,
 * so theirs are "unknown course" like a typo. An active enrolment with the same role is unchanged, another
 * role is updated; a pending or declined one is activated. Course capacity, the last instructor of a course
 * and the organisation's seat limit are checked over the rows together, in file order.
 */
export async function planEnrolments(tx: Tx, ctx: MemberContext, rows: EnrolmentRow[], opts: { lock: boolean }): Promise<{ plans: EnrolmentPlan[]; errors: RowError[] }> {
  const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
  const byEmail = await membersByEmail(tx, emails, false);
  const bySis = await membersBySis(
    tx,
    rows.flatMap((r) => (r.userSisId ? [r.userSisId] : [])),
  );
  const slugs = [...new Set(rows.filter((r) => !r.course.startsWith('sis:')).map((r) => r.course))];
  const courseSis = [...new Set(rows.filter((r) => r.course.startsWith('sis:')).map((r) => r.course.slice(4)))];
  const courseCols = { id: schema.courses.id, slug: schema.courses.slug, sisId: schema.courses.sisId, capacity: schema.courses.capacity, seatsTaken: schema.courses.seatsTaken };
  const courses: CourseRowDb[] = [];
  for (const chunk of chunks(slugs)) courses.push(...(await tx.select(courseCols).from(schema.courses).where(inArray(schema.courses.slug, chunk))));
  for (const chunk of chunks(courseSis)) courses.push(...(await tx.select(courseCols).from(schema.courses).where(inArray(schema.courses.sisId, chunk))));
  const courseById = new Map(courses.map((c) => [c.id, c]));
  if (opts.lock && courseById.size) {
    // Capacity and instructor counts are decided under the courses' row locks (id order: no deadlock).
    const locked = await tx
      .select(courseCols)
      .from(schema.courses)
      .where(inArray(schema.courses.id, [...courseById.keys()]))
      .orderBy(schema.courses.id)
      .for('update');
    for (const c of locked) courseById.set(c.id, c);
  }
  const courseBySlug = new Map([...courseById.values()].map((c) => [c.slug, c]));
  const courseBySis = new Map([...courseById.values()].flatMap((c) => (c.sisId ? [[c.sisId, c] as const] : [])));

  type Resolved = { row: EnrolmentRow; userId: string; course: CourseRowDb };
  const resolved: Resolved[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const mine: RowError[] = [];
    const a = row.email ? byEmail.get(row.email) : undefined;
    const b = row.userSisId ? bySis.get(row.userSisId) : undefined;
    if (row.email && !a) mine.push({ line: row.line, field: 'email', message: 'unknownPerson', params: { value: row.email } });
    if (row.userSisId && !b) mine.push({ line: row.line, field: 'user_sis_id', message: 'unknownPerson', params: { value: row.userSisId } });
    if (a && b && a.id !== b.id) mine.push({ line: row.line, field: 'user_sis_id', message: 'personMismatch', params: { email: row.email!, sis: row.userSisId! } });
    const person = a ?? b;
    if (person?.deactivatedAt) mine.push({ line: row.line, field: row.email ? 'email' : 'user_sis_id', message: 'memberDeactivated' });
    const course = row.course.startsWith('sis:') ? courseBySis.get(row.course.slice(4)) : courseBySlug.get(row.course);
    if (!course) mine.push({ line: row.line, field: 'course', message: 'unknownCourse', params: { value: row.course } });
    if (mine.length || !person || !course) {
      errors.push(...mine);
      continue;
    }
    resolved.push({ row, userId: person.userId, course });
  }

  // The same person in the same course twice (perhaps once by email, once by SIS id): the first row wins.
  const firstLine = new Map<string, number>();
  const unique: Resolved[] = [];
  for (const r of resolved) {
    const key = `${r.course.id}:${r.userId}`;
    const first = firstLine.get(key);
    if (first !== undefined) errors.push({ line: r.row.line, field: 'course', message: 'duplicateEnrolment', params: { line: first } });
    else {
      firstLine.set(key, r.row.line);
      unique.push(r);
    }
  }

  const existing = new Map<string, { id: string; role: CourseRole; status: 'active' | 'pending' | 'declined'; sisId: string | null }>();
  for (const chunk of chunks(unique)) {
    const pairs = JSON.stringify(chunk.map((r) => ({ course_id: r.course.id, user_id: r.userId })));
    const found = await tx.execute<{ id: string; course_id: string; user_id: string; role: CourseRole; status: 'active' | 'pending' | 'declined'; sis_id: string | null }>(sql`
      select e.id, e.course_id, e.user_id, e.role, e.status, e.sis_id from enrolments e
      join jsonb_to_recordset(${pairs}::jsonb) as p(course_id uuid, user_id uuid) on p.course_id = e.course_id and p.user_id = e.user_id
      where e.tenant_id = ${ctx.tenant.id}
      ${opts.lock ? sql`for update of e` : sql``}`);
    for (const e of found) existing.set(`${e.course_id}:${e.user_id}`, { id: e.id, role: e.role, status: e.status, sisId: e.sis_id });
  }
  const sisHolders = new Map<string, string>();
  for (const chunk of chunks([...new Set(unique.flatMap((r) => (r.row.sisId ? [r.row.sisId] : [])))])) {
    const rowsDb = await tx.select({ id: schema.enrolments.id, sisId: schema.enrolments.sisId }).from(schema.enrolments).where(inArray(schema.enrolments.sisId, chunk));
    for (const e of rowsDb) sisHolders.set(e.sisId!, e.id);
  }
  const courseIds = [...new Set(unique.map((r) => r.course.id))];
  const instructors = new Map<string, number>();
  for (const chunk of chunks(courseIds)) {
    const counts = await tx
      .select({ courseId: schema.enrolments.courseId, n: sql<number>`count(*)::int` })
      .from(schema.enrolments)
      .where(and(inArray(schema.enrolments.courseId, chunk), eq(schema.enrolments.role, 'instructor'), eq(schema.enrolments.status, 'active')))
      .groupBy(schema.enrolments.courseId);
    for (const c of counts) instructors.set(c.courseId, c.n);
  }

  const draft: EnrolmentPlan[] = [];
  for (const r of unique) {
    const e = existing.get(`${r.course.id}:${r.userId}`) ?? null;
    if (r.row.sisId && sisHolders.has(r.row.sisId) && sisHolders.get(r.row.sisId) !== e?.id) {
      errors.push({ line: r.row.line, field: 'sis_id', message: 'enrolmentSisTaken', params: { sis: r.row.sisId } });
      continue;
    }
    const base = { row: r.row, userId: r.userId, courseId: r.course.id, existing: e };
    if (!e || e.status !== 'active') {
      const role = r.row.role ?? (e?.role || 'learner');
      draft.push({ ...base, action: 'create', role, seat: role === 'learner' ? 1 : 0 });
      continue;
    }
    const role = r.row.role ?? e.role;
    const changes = role !== e.role || (r.row.sisId !== null && r.row.sisId !== e.sisId);
    const seat = role === e.role ? 0 : role === 'learner' ? 1 : e.role === 'learner' ? -1 : 0;
    draft.push({ ...base, action: changes ? 'update' : 'unchanged', role, seat });
  }

  // Instructors a course gains from the file count first, so a file that swaps instructors is accepted.
  const instructorsLeft = new Map(courseIds.map((id) => [id, instructors.get(id) ?? 0]));
  const isActiveInstructor = (p: EnrolmentPlan) => p.existing?.status === 'active' && p.existing.role === 'instructor';
  for (const p of draft) if (p.role === 'instructor' && !isActiveInstructor(p)) instructorsLeft.set(p.courseId, instructorsLeft.get(p.courseId)! + 1);
  const overSeats = draft.some((p) => p.seat > 0) ? await orgSeatProblem(tx, ctx.tenant.id) : false;
  // Seats given back count before any is taken (the apply releases them first); then rows take seats in file order.
  const free = new Map<string, number>();
  for (const c of courseById.values()) free.set(c.id, c.capacity === null ? Number.POSITIVE_INFINITY : c.capacity - c.seatsTaken);
  const kept: EnrolmentPlan[] = [];
  for (const p of draft) {
    if (p.seat > 0 && overSeats) {
      errors.push({ line: p.row.line, field: 'role', message: 'orgOverSeats' });
      continue;
    }
    if (isActiveInstructor(p) && p.role !== 'instructor') {
      if (instructorsLeft.get(p.courseId)! <= 1) {
        errors.push({ line: p.row.line, field: 'role', message: 'lastInstructor' });
        continue;
      }
      instructorsLeft.set(p.courseId, instructorsLeft.get(p.courseId)! - 1);
    }
    if (p.seat < 0) free.set(p.courseId, free.get(p.courseId)! + 1);
    kept.push(p);
  }
  const plans: EnrolmentPlan[] = [];
  for (const p of kept) {
    if (p.seat > 0) {
      if (free.get(p.courseId)! < 1) {
        errors.push({ line: p.row.line, field: 'course', message: 'courseFull', params: { value: p.row.course } });
        continue;
      }
      free.set(p.courseId, free.get(p.courseId)! - 1);
    }
    plans.push(p);
  }
  return { plans, errors };
}

export type { OrgRole };
