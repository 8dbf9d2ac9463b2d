import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '@/db/client';
import type { JobContext } from '@/lib/jobs/registry';
import { sendMail } from '@/lib/mail/service';
import { tenantOrigin } from '@/lib/tenancy/urls';

const EnrolmentCreated = z.object({ enrolmentId: z.uuid(), courseId: z.uuid(), userId: z.uuid() });

/**
 * Job `notify-enrolment`: tell a learner they are enrolled. Mail is written in the run's transaction, so it
 * commits with the run record and a redelivered event sends nothing more. Staff roles and enrolments that
 * are no longer active by the time the job runs get no mail.
 */
export async function notifyEnrolment({ tenantId, tx, event, log }: JobContext): Promise<void> {
  const input = EnrolmentCreated.parse(event.payload);
  const [row] = await tx
    .select({
      status: schema.enrolments.status,
      role: schema.enrolments.role,
      title: schema.courses.title,
      slug: schema.courses.slug,
      email: schema.users.email,
      name: schema.users.name,
      tenantSlug: schema.tenants.slug,
      tenantName: schema.tenants.name,
    })
    .from(schema.enrolments)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, schema.enrolments.tenantId), eq(schema.courses.id, schema.enrolments.courseId)))
    .innerJoin(schema.users, eq(schema.users.id, schema.enrolments.userId))
    .innerJoin(schema.tenants, eq(schema.tenants.id, schema.enrolments.tenantId))
    .where(and(eq(schema.enrolments.id, input.enrolmentId), eq(schema.enrolments.userId, input.userId)))
    .limit(1);
  if (!row || row.status !== 'active' || row.role !== 'learner') {
    log.info({ enrolmentId: input.enrolmentId }, 'no enrolment mail: not an active learner enrolment');
    return;
  }
  const link = `${tenantOrigin(row.tenantSlug)}/learn/${row.slug}`;
  await sendMail(tx, tenantId, {
    to: row.email,
    subject: `You are enrolled in ${row.title}`,
    text: `Hello ${row.name},\n\nYou are enrolled in ${row.title} at ${row.tenantName}.\n\nStart learning: ${link}`,
  });
}
