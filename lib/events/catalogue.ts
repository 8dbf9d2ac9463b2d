import type { EventName } from './outbox';

/**
 * Every event Lectern emits, by versioned name. A consumer may rely on a name's payload shape; a change of
 * shape is a new version. The worker treats a name that is neither here nor triggers a job (a typo, or a
 * version this deployment does not know) as a dead letter instead of dropping it silently. A unit test
 * checks that every name emitted in the source is listed.
 */
export const EVENT_NAMES = [
  'lectern/organisation.created.v1',
  'lectern/member.invited.v1',
  'lectern/member.joined.v1',
  'lectern/member.removed.v1',
  'lectern/member.role_changed.v1',
  'lectern/enrolment.created.v1',
  'lectern/item.completed.v1',
  'lectern/course.completed.v1',
  'lectern/attempt.submitted.v1',
  'lectern/attempt.graded.v1',
  'lectern/assignment.submitted.v1',
  'lectern/grade.changed.v1',
  'lectern/announcement.posted.v1',
  'lectern/email.queued.v1',
  'lectern/certificate.issued.v1',
  'lectern/certificate.revoked.v1',
  'lectern/certificate.reinstated.v1',
  'lectern/import.batch.v1',
  'lectern/import.finished.v1',
] as const satisfies readonly EventName[];

const KNOWN: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isKnownEvent(name: string): boolean {
  return KNOWN.has(name);
}
