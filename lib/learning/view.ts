import { and, eq, inArray } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';

/**
 * Whether the member instructs or assists in at least one course (the header's "Teach" link for members
 * whose organisation role is learner). One indexed query; the services still authorise every action.
 */
export async function teachesAnyCourse(tx: Tx, ctx: MemberContext): Promise<boolean> {
  const [row] = await tx
    .select({ id: schema.enrolments.id })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.userId, ctx.user.id), inArray(schema.enrolments.role, ['instructor', 'ta']), eq(schema.enrolments.status, 'active')))
    .limit(1);
  return Boolean(row);
}
