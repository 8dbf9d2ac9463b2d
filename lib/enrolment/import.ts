import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanAuthor, findCourseById, type CourseRole } from '@/lib/courses/permissions';
import { ValidationError } from '@/lib/errors';
import { EmailSchema } from '@/lib/schemas';
import { enrolMembers } from './service';

/** Larger lists should come through the API or SCIM; a browser upload stays well under a second to check. */
export const IMPORT_MAX_ROWS = 20_000;

export const ImportRow = z.object({ line: z.number().int().min(1), email: z.string().max(400), role: z.string().max(40).default('') });
export type ImportRow = z.infer<typeof ImportRow>;
export const ImportRows = z.array(ImportRow).max(IMPORT_MAX_ROWS);

export type RowProblem = 'emailInvalid' | 'notMember' | 'duplicate' | 'roleUnknown';
export type RowCheck =
  | { line: number; email: string; status: 'ok'; role: CourseRole }
  | { line: number; email: string; status: 'enrolled'; role: CourseRole }
  | { line: number; email: string; status: 'error'; problem: RowProblem };

const ROLE_ALIASES: Record<string, CourseRole> = {
  '': 'learner',
  learner: 'learner',
  student: 'learner',
  ta: 'ta',
  'teaching assistant': 'ta',
  assistant: 'ta',
  instructor: 'instructor',
  teacher: 'instructor',
};

/**
 * Check rows of an enrolment file without writing anything: each row is ok, already enrolled (skipped),
 * or an error saying what is wrong. Two queries however many rows.
 */
export async function checkImportRows(tx: Tx, ctx: MemberContext, courseId: string, raw: ImportRow[]): Promise<RowCheck[]> {
  await assertCanAuthor(tx, ctx, courseId);
  const parsed0 = ImportRows.safeParse(raw);
  if (!parsed0.success) throw new ValidationError('csvRowsInvalid', { params: { limit: IMPORT_MAX_ROWS } });
  const rows = parsed0.data;
  const parsed = rows.map((r) => ({ line: r.line, raw: r.email.trim(), email: EmailSchema.safeParse(r.email), role: ROLE_ALIASES[r.role.trim().toLowerCase()] }));
  const emails = [...new Set(parsed.flatMap((p) => (p.email.success ? [p.email.data] : [])))];
  const known = new Map<string, string>();
  const enrolled = new Set<string>();
  for (let i = 0; i < emails.length; i += 5000) {
    const chunk = emails.slice(i, i + 5000);
    const members = await tx
      .select({ email: schema.users.email, userId: schema.users.id, enrolmentStatus: schema.enrolments.status })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .leftJoin(schema.enrolments, and(eq(schema.enrolments.userId, schema.memberships.userId), eq(schema.enrolments.courseId, courseId)))
      .where(inArray(schema.users.email, chunk));
    for (const m of members) {
      known.set(m.email, m.userId);
      if (m.enrolmentStatus === 'active') enrolled.add(m.email);
    }
  }
  const seen = new Set<string>();
  return parsed.map((p): RowCheck => {
    if (!p.email.success) return { line: p.line, email: p.raw, status: 'error', problem: 'emailInvalid' };
    const email = p.email.data;
    if (!p.role) return { line: p.line, email, status: 'error', problem: 'roleUnknown' };
    if (seen.has(email)) return { line: p.line, email, status: 'error', problem: 'duplicate' };
    seen.add(email);
    if (!known.has(email)) return { line: p.line, email, status: 'error', problem: 'notMember' };
    if (enrolled.has(email)) return { line: p.line, email, status: 'enrolled', role: p.role };
    return { line: p.line, email, status: 'ok', role: p.role };
  });
}

/**
 * Enrol every valid row of a checked file in one transaction (rows with errors are skipped, as the
 * preview said). Re-checks on the server: what the browser sends is never trusted. All or nothing.
 */
export async function commitImport(tx: Tx, ctx: MemberContext, courseId: string, raw: ImportRow[]): Promise<{ added: number; alreadyEnrolled: number; skipped: number }> {
  const checks = await checkImportRows(tx, ctx, courseId, raw);
  const ok = checks.flatMap((c) => (c.status === 'ok' ? [{ email: c.email, role: c.role }] : []));
  if (!ok.length) throw new ValidationError('csvEmpty');
  await findCourseById(tx, courseId);
  const result = await enrolMembers(tx, ctx, courseId, ok);
  return {
    added: result.added,
    alreadyEnrolled: result.alreadyEnrolled + checks.filter((c) => c.status === 'enrolled').length,
    skipped: checks.filter((c) => c.status === 'error').length,
  };
}
