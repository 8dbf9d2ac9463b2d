import { z } from 'zod';
import type { JobContext } from '@/lib/jobs/registry';
import { announceCertificate, completedLearnerEnrolment, issueCertificate } from './issue';

/** The payload of `lectern/course.completed.v1` (lib/learning/player.ts). */
export const CourseCompleted = z.object({ enrolmentId: z.uuid(), courseId: z.uuid(), userId: z.uuid(), completedAt: z.iso.datetime({ offset: true }) });
export type CourseCompleted = z.infer<typeof CourseCompleted>;

/**
 * Job `issue-course-certificate`: a learner completed a course, so they get its certificate — once. The
 * enrolment is re-read: only a learner enrolment that is (still) complete earns one; staff never do. The
 * certificate, its PDF, the notice and `certificate.issued` commit together with the run; a redelivered
 * event finds the run done, and a new event for the same completion finds the certificate and adds nothing.
 */
export async function issueCourseCertificate({ tx, tenantId, payload, log }: JobContext<CourseCompleted>): Promise<void> {
  const enrolment = await completedLearnerEnrolment(tx, payload);
  if (!enrolment) {
    log.info({ enrolmentId: payload.enrolmentId }, 'no certificate: not a completed learner enrolment');
    return;
  }
  const cert = await issueCertificate(tx, tenantId, { userId: payload.userId, subject: { courseId: payload.courseId }, completedAt: enrolment.completedAt ?? new Date(payload.completedAt) });
  if (cert?.created) await announceCertificate(tx, tenantId, cert, 'course');
}
