import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import type { JobContext } from '@/lib/jobs/registry';
import { notify } from '@/lib/notifications/service';

const EnrolmentCreated = z.object({ enrolmentId: z.uuid(), courseId: z.uuid(), userId: z.uuid() });

/**
 * Job `notify-enrolment`: tell a learner they are enrolled, as a notice of type `enrolled` (the bell), and
 * by mail when their preference for that type says so (notify() writes it). Both are written in the run's
 * transaction and keyed by the enrolment, so a redelivered event adds nothing. Staff roles and enrolments
 * that are no longer active by the time the job runs get nothing.
 */
export async function notifyEnrolment({ tenantId, tx, event, log }: JobContext): Promise<void> {
  const input = EnrolmentCreated.parse(event.payload);
  const [row] = await tx
    .select({
      status: schema.enrolments.status,
      role: schema.enrolments.role,
      title: schema.courses.title,
      slug: schema.courses.slug,
      tenantName: schema.tenants.name,
    })
    .from(schema.enrolments)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, schema.enrolments.tenantId), eq(schema.courses.id, schema.enrolments.courseId)))
    .innerJoin(schema.tenants, eq(schema.tenants.id, schema.enrolments.tenantId))
    .where(and(eq(schema.enrolments.id, input.enrolmentId), eq(schema.enrolments.userId, input.userId)))
    .limit(1);
  if (!row || row.status !== 'active' || row.role !== 'learner') {
    log.info({ enrolmentId: input.enrolmentId }, 'no enrolment notice: not an active learner enrolment');
    return;
  }
  await notify(tx, tenantId, [
    {
      userId: input.userId,
      type: 'enrolled',
      title: `You are enrolled in ${row.title}`,
      body: `You are enrolled in ${row.title} at ${row.tenantName}. Start learning whenever you are ready.`,
      link: `/learn/${row.slug}`,
      dedupeKey: `enrolled:${input.enrolmentId}`,
    },
  ]);
}
