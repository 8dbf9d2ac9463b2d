import { inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { newToken } from '@/lib/auth/tokens';
import { recordAudit } from '@/lib/audit/service';
import { assertSeats, loadEntitlements, lockSeats, seatUsage } from '@/lib/billing/entitlements';
import { releaseSeats, takeSeats } from '@/lib/enrolment/service';
import { emitMany } from '@/lib/events/outbox';
import { sendMails, type Mail } from '@/lib/mail/service';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { planEnrolments, planUsers, type EnrolmentPlan, type UserPlan } from './plan';
import type { EnrolmentRow, RowError, UserRow } from './rows';

/**
 * Applying one batch of checked rows, in the caller's transaction (one per batch). Each batch is planned
 * again against the database under row locks (lib/imports/plan.ts), so what the browser or the dry run saw
 * is never trusted; a row that can no longer be applied fails with its reason and the rest go on.
 */

export type BatchResult = { created: number; updated: number; unchanged: number; failed: number; errors: RowError[] };

/** How long the "choose your password" link of an imported person works (a reset link works one hour). */
export const WELCOME_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function applyError(e: RowError): RowError {
  return { ...e, apply: true };
}

function failedLines(errors: RowError[]): number {
  return new Set(errors.map((e) => e.line)).size;
}

/** Role and SIS id updates of existing members, in one statement. */
async function updateMembers(tx: Tx, ctx: MemberContext, plans: UserPlan[]): Promise<void> {
  const changes = plans.filter((p) => p.action === 'update');
  if (!changes.length) return;
  const values = JSON.stringify(changes.map((p) => ({ id: p.member!.id, role: p.row.role, sis_id: p.row.sisId })));
  await tx.execute(sql`
    update memberships m set role = coalesce(v.role, m.role), sis_id = coalesce(v.sis_id, m.sis_id)
    from jsonb_to_recordset(${values}::jsonb) as v(id uuid, role member_role, sis_id text)
    where m.tenant_id = ${ctx.tenant.id} and m.id = v.id`);
  // Role changes are audited one by one (who became an admin matters); SIS ids only in the import's totals.
  const roleChanges = changes.filter((p) => p.row.role !== null && p.row.role !== p.member!.role);
  for (const p of roleChanges) {
    await recordAudit(tx, ctx, { action: 'member.role_changed', targetType: 'member', targetId: p.member!.id, targetLabel: p.row.email, before: { role: p.member!.role }, after: { role: p.row.role, via: 'import' } });
  }
  await emitMany(
    tx,
    ctx.tenant.id,
    'lectern/member.role_changed.v1',
    roleChanges.map((p) => ({ membershipId: p.member!.id, userId: p.member!.userId, from: p.member!.role, to: p.row.role })),
  );
}

/**
 * New members: a new person gets a Lectern account without a password and a one-time link (the password
 * reset flow, valid 7 days) to choose one; someone with an account elsewhere is told they were added and
 * signs in as before. Rows that someone else added meanwhile fail as "changed meanwhile".
 */
async function createMembers(tx: Tx, ctx: MemberContext, plans: UserPlan[]): Promise<{ created: number; errors: RowError[] }> {
  if (!plans.length) return { created: 0, errors: [] };
  const fresh = await tx
    .insert(schema.users)
    .values(plans.map((p) => ({ name: p.row.name!, email: p.row.email })))
    .onConflictDoNothing({ target: schema.users.email })
    .returning({ id: schema.users.id, email: schema.users.email });
  const newAccounts = new Set(fresh.map((u) => u.email));
  const userIds = new Map(fresh.map((u) => [u.email, u.id]));
  const others = plans.filter((p) => !userIds.has(p.row.email)).map((p) => p.row.email);
  if (others.length) {
    for (const u of await tx.select({ id: schema.users.id, email: schema.users.email, name: schema.users.name }).from(schema.users).where(inArray(schema.users.email, others))) {
      userIds.set(u.email, u.id);
    }
  }
  const inserted = await tx
    .insert(schema.memberships)
    .values(plans.map((p) => ({ tenantId: ctx.tenant.id, userId: userIds.get(p.row.email)!, role: p.row.role ?? 'learner', sisId: p.row.sisId })))
    .onConflictDoNothing()
    .returning({ id: schema.memberships.id, userId: schema.memberships.userId, role: schema.memberships.role });
  const byUser = new Map(inserted.map((m) => [m.userId, m]));
  const errors: RowError[] = [];
  const mails: Mail[] = [];
  const tokens: (typeof schema.authTokens.$inferInsert)[] = [];
  const origin = tenantOrigin(ctx.tenant.slug);
  const expiresAt = new Date(Date.now() + WELCOME_LINK_TTL_MS);
  for (const p of plans) {
    const m = byUser.get(userIds.get(p.row.email)!);
    if (!m) {
      errors.push(applyError({ line: p.row.line, field: 'email', message: 'changedMeanwhile' }));
      continue;
    }
    if (newAccounts.has(p.row.email)) {
      const { token, hash } = newToken();
      tokens.push({ tenantId: ctx.tenant.id, membershipId: m.id, purpose: 'password_reset', tokenHash: hash, expiresAt });
      mails.push({
        to: p.row.email,
        subject: `Welcome to ${ctx.tenant.name} on Lectern`,
        text: `Hello ${p.row.name},\n\n${ctx.user.name} added you to ${ctx.tenant.name} on Lectern as ${m.role}. Choose your password to sign in:\n${origin}/reset-password/${token}\n\nThe link works once and expires in 7 days. After that, ask for a new one with "Forgot your password?" at ${origin}/sign-in.`,
      });
    } else {
      mails.push({
        to: p.row.email,
        subject: `You were added to ${ctx.tenant.name} on Lectern`,
        text: `Hello,\n\n${ctx.user.name} added you to ${ctx.tenant.name} on Lectern as ${m.role}. Sign in with your Lectern email and password at:\n${origin}/sign-in`,
      });
    }
  }
  if (tokens.length) await tx.insert(schema.authTokens).values(tokens);
  await sendMails(tx, ctx.tenant.id, mails);
  await emitMany(
    tx,
    ctx.tenant.id,
    'lectern/member.joined.v1',
    inserted.map((m) => ({ membershipId: m.id, userId: m.userId, role: m.role })),
  );
  return { created: inserted.length, errors };
}

/**
 * One batch of a users file. Seats given back (learners made instructors or admins) are given back first;
 * then the rows that take a learner seat pass THE seat check together, in file order: when fewer seats are
 * free than the dry run promised (invitations sent meanwhile, say), the rows beyond them fail with
 * "no seat left" and the others are imported.
 */
export async function applyUserRows(tx: Tx, ctx: MemberContext, rows: UserRow[]): Promise<BatchResult> {
  const { plans, errors: planErrors } = await planUsers(tx, ctx, rows, { lock: true });
  const errors = planErrors.map(applyError);
  const takers = plans.filter((p) => p.seat > 0);
  if (takers.length) await lockSeats(tx, ctx.tenant.id);
  await updateMembers(
    tx,
    ctx,
    plans.filter((p) => p.action === 'update' && p.seat <= 0),
  );
  let allowed = takers;
  if (takers.length) {
    const [entitlements, usage] = await Promise.all([loadEntitlements(tx, ctx.tenant.id), seatUsage(tx, ctx.tenant.id)]);
    const free = entitlements.pastDue?.locked ? 0 : Math.max(0, entitlements.seatLimit - usage.learners - usage.pendingInvitations);
    allowed = takers.slice(0, free);
    for (const p of takers.slice(free)) errors.push(applyError({ line: p.row.line, field: 'role', message: 'noSeatLeft' }));
    if (allowed.length) await assertSeats(tx, ctx.tenant.id, { add: allowed.length });
  }
  const allowedSet = new Set(allowed);
  const go = plans.filter((p) => p.seat <= 0 || allowedSet.has(p));
  await updateMembers(
    tx,
    ctx,
    go.filter((p) => p.action === 'update' && p.seat > 0),
  );
  const created = await createMembers(
    tx,
    ctx,
    go.filter((p) => p.action === 'create'),
  );
  errors.push(...created.errors);
  return {
    created: created.created,
    updated: go.filter((p) => p.action === 'update').length,
    unchanged: go.filter((p) => p.action === 'unchanged').length,
    failed: failedLines(errors),
    errors,
  };
}

/** One batch of an enrolments file: seats given back first, then new and re-activated enrolments and role changes. */
export async function applyEnrolmentRows(tx: Tx, ctx: MemberContext, rows: EnrolmentRow[]): Promise<BatchResult> {
  const { plans, errors: planErrors } = await planEnrolments(tx, ctx, rows, { lock: true });
  const errors = planErrors.map(applyError);
  const perCourse = (list: EnrolmentPlan[]) => {
    const n = new Map<string, number>();
    for (const p of list) n.set(p.courseId, (n.get(p.courseId) ?? 0) + 1);
    return n;
  };
  for (const [courseId, n] of perCourse(plans.filter((p) => p.seat < 0))) await releaseSeats(tx, courseId, n);
  if (plans.some((p) => p.seat > 0)) await assertSeats(tx, ctx.tenant.id, { add: 0 });

  const now = new Date();
  const fresh = plans.filter((p) => p.action === 'create' && !p.existing);
  const inserted = fresh.length
    ? await tx
        .insert(schema.enrolments)
        .values(fresh.map((p) => ({ tenantId: ctx.tenant.id, courseId: p.courseId, userId: p.userId, role: p.role, status: 'active' as const, enrolledAt: now, sisId: p.row.sisId })))
        .onConflictDoNothing()
        .returning({ id: schema.enrolments.id, courseId: schema.enrolments.courseId, userId: schema.enrolments.userId, role: schema.enrolments.role })
    : [];
  const insertedKeys = new Set(inserted.map((e) => `${e.courseId}:${e.userId}`));
  const lost = fresh.filter((p) => !insertedKeys.has(`${p.courseId}:${p.userId}`));
  for (const p of lost) errors.push(applyError({ line: p.row.line, field: 'course', message: 'changedMeanwhile' }));
  const lostSet = new Set(lost);

  // Pending or declined enrolments become active; active ones change role and/or SIS id: one statement.
  const changed = plans.filter((p) => p.existing && p.action !== 'unchanged');
  if (changed.length) {
    const values = JSON.stringify(changed.map((p) => ({ id: p.existing!.id, role: p.role, sis_id: p.row.sisId, activate: p.existing!.status !== 'active' })));
    await tx.execute(sql`
      update enrolments e set role = v.role, sis_id = coalesce(v.sis_id, e.sis_id),
        status = 'active', enrolled_at = case when v.activate then ${now.toISOString()}::timestamptz else e.enrolled_at end
      from jsonb_to_recordset(${values}::jsonb) as v(id uuid, role course_role, sis_id text, activate boolean)
      where e.tenant_id = ${ctx.tenant.id} and e.id = v.id`);
  }
  for (const [courseId, n] of perCourse(plans.filter((p) => p.seat > 0 && !lostSet.has(p)))) await takeSeats(tx, courseId, n);

  const activated = changed.filter((p) => p.existing!.status !== 'active');
  await emitMany(tx, ctx.tenant.id, 'lectern/enrolment.created.v1', [
    ...inserted.map((e) => ({ enrolmentId: e.id, courseId: e.courseId, userId: e.userId, role: e.role, source: 'import' })),
    ...activated.map((p) => ({ enrolmentId: p.existing!.id, courseId: p.courseId, userId: p.userId, role: p.role, source: 'import' })),
  ]);
  for (const p of changed.filter((c) => c.existing!.status === 'active' && c.role !== c.existing!.role)) {
    await recordAudit(tx, ctx, { action: 'enrolment.role_changed', targetType: 'enrolment', targetId: p.existing!.id, before: { role: p.existing!.role }, after: { role: p.role, via: 'import' } });
  }
  return {
    created: inserted.length + activated.length,
    updated: plans.filter((p) => p.action === 'update').length,
    unchanged: plans.filter((p) => p.action === 'unchanged').length,
    failed: failedLines(errors),
    errors,
  };
}
