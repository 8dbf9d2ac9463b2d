import { and, asc, eq, gt } from 'drizzle-orm';
import { createTranslator } from 'use-intl/core';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { richTextToPlain } from '@/lib/courses/sanitize';
import en from '@/lib/i18n/messages/en.json';
import type { JobContext } from '@/lib/jobs/registry';
import { notify } from '@/lib/notifications/service';

/** Learners notified per statement: bounded memory and statement size whatever the course's size. */
export const FAN_OUT_BATCH_SIZE = 1000;
const EXCERPT_LENGTH = 240;

// Notices are stored text: written in the organisation's language (English until organisations choose one).
const t = createTranslator({ locale: 'en', messages: en, namespace: 'announcements.notice' });

const Posted = z.object({ announcementId: z.uuid(), courseId: z.uuid() });

export type FanOutSubject = { id: string; courseId: string; title: string; excerpt: string; courseTitle: string; courseSlug: string };

/** The announcement with what its notices say, or null when it was deleted before the fan-out ran. */
export async function fanOutSubject(tx: Tx, announcementId: string): Promise<FanOutSubject | null> {
  const [row] = await tx
    .select({
      id: schema.announcements.id,
      courseId: schema.announcements.courseId,
      title: schema.announcements.title,
      bodyHtml: schema.announcements.bodyHtml,
      courseTitle: schema.courses.title,
      courseSlug: schema.courses.slug,
    })
    .from(schema.announcements)
    .innerJoin(schema.courses, and(eq(schema.courses.tenantId, schema.announcements.tenantId), eq(schema.courses.id, schema.announcements.courseId)))
    .where(eq(schema.announcements.id, announcementId))
    .limit(1);
  if (!row) return null;
  const plain = await richTextToPlain(row.bodyHtml);
  const excerpt = plain.length > EXCERPT_LENGTH ? `${plain.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : plain;
  return { id: row.id, courseId: row.courseId, title: row.title, excerpt, courseTitle: row.courseTitle, courseSlug: row.courseSlug };
}

/**
 * One batch: the course's active learners whose user id follows `after` (keyset over the enrolments'
 * (course, user) index, so batch N costs what batch 1 costs), notified with the key `announcement:<id>`.
 * A pure function of its cursor: re-running a batch notifies nobody twice (notify() skips existing keys)
 * and the cursor it returns is the same, so a run that stopped anywhere resumes without a gap.
 */
export async function fanOutBatch(tx: Tx, tenantId: string, subject: FanOutSubject, after: string | null, size = FAN_OUT_BATCH_SIZE): Promise<{ learners: number; created: number; next: string | null }> {
  const e = schema.enrolments;
  const rows = await tx
    .select({ userId: e.userId })
    .from(e)
    .where(and(eq(e.courseId, subject.courseId), eq(e.role, 'learner'), eq(e.status, 'active'), after ? gt(e.userId, after) : undefined))
    .orderBy(asc(e.userId))
    .limit(size);
  const created = await notify(
    tx,
    tenantId,
    rows.map((r) => ({
      userId: r.userId,
      type: 'announcement' as const,
      title: t('title', { course: subject.courseTitle, title: subject.title }),
      body: subject.excerpt,
      link: `/learn/${subject.courseSlug}/announcements`,
      dedupeKey: `announcement:${subject.id}`,
    })),
  );
  return { learners: rows.length, created, next: rows.length === size ? rows[rows.length - 1]!.userId : null };
}

/**
 * Job `fan-out-announcement` (on `lectern/announcement.posted.v1`): notify every active learner of the
 * course, a batch of 1,000 at a time, then record how many and when. Runs in the job's transaction, so a
 * crash leaves nothing half-recorded, and a re-run (or a retry after a crash) adds no duplicate notice.
 */
export async function fanOutAnnouncement({ tenantId, tx, event, log }: JobContext): Promise<void> {
  const input = Posted.parse(event.payload);
  const subject = await fanOutSubject(tx, input.announcementId);
  if (!subject) {
    log.info({ announcementId: input.announcementId }, 'announcement deleted before fan-out: nothing to send');
    return;
  }
  let learners = 0;
  let created = 0;
  let after: string | null = null;
  let batches = 0;
  do {
    const batch = await fanOutBatch(tx, tenantId, subject, after);
    learners += batch.learners;
    created += batch.created;
    after = batch.next;
    batches += 1;
  } while (after);
  await tx
    .update(schema.announcements)
    .set({ recipients: learners, fannedOutAt: new Date() })
    .where(eq(schema.announcements.id, subject.id));
  log.info({ announcementId: subject.id, learners, created, batches }, 'announcement fanned out');
}
