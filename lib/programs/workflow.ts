import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { announceCertificate, issueCertificate, type IssuedCertificate } from '@/lib/certificates/issue';
import type { CourseCompleted } from '@/lib/certificates/jobs';
import type { JobContext } from '@/lib/jobs/registry';

/**
 * The published programs containing `courseId` whose every course the learner has completed as a learner,
 * and that have not given them a certificate yet — with the date the last of their courses was completed.
 */
export async function programsNowComplete(tx: Tx, tenantId: string, userId: string, courseId: string): Promise<{ programId: string; completedAt: string }[]> {
  const rows = await tx.execute<{ program_id: string; completed_at: string }>(sql`
    select p.id as program_id, to_json(max(e.completed_at)) #>> '{}' as completed_at
    from programs p
    join program_courses done on done.tenant_id = p.tenant_id and done.program_id = p.id and done.course_id = ${courseId}
    join program_courses pc on pc.tenant_id = p.tenant_id and pc.program_id = p.id
    left join enrolments e on e.tenant_id = pc.tenant_id and e.course_id = pc.course_id and e.user_id = ${userId}
      and e.role = 'learner' and e.completed_at is not null
    where p.tenant_id = ${tenantId} and p.status = 'published'
      and not exists (select 1 from certificates c where c.tenant_id = p.tenant_id and c.user_id = ${userId} and c.program_id = p.id)
    group by p.tenant_id, p.id
    having count(e.id) = count(*)
    order by p.title, p.id`);
  return rows.map((r) => ({ programId: r.program_id, completedAt: r.completed_at }));
}

/**
 * Job `issue-program-certificate`, a workflow: completing a course may complete programs. Step
 * `find-programs` names them; per program, `issue-<id>` writes the certificate and its PDF and
 * `notify-<id>` tells the learner and emits `certificate.issued`. Each finished step is kept, so a failure
 * (say the PDF store is down for the second program) retries only from there: nothing done is done again.
 */
export async function issueProgramCertificates({ tenantId, payload, step }: JobContext<CourseCompleted>): Promise<void> {
  const complete = await step.run('find-programs', (tx) => programsNowComplete(tx, tenantId, payload.userId, payload.courseId));
  for (const { programId, completedAt } of complete) {
    const issued = await step.run(`issue-${programId}`, (tx) => issueCertificate(tx, tenantId, { userId: payload.userId, subject: { programId }, completedAt: new Date(completedAt) }));
    await step.run(`notify-${programId}`, async (tx): Promise<IssuedCertificate | null> => {
      if (issued?.created) await announceCertificate(tx, tenantId, issued, 'program');
      return issued;
    });
  }
}
