import { count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanTeach, courseAccess, type CourseAccess } from '@/lib/courses/permissions';
import { richTextToPlain, sanitizeRichText } from '@/lib/courses/sanitize';
import { findCourseBySlug, type Course } from '@/lib/courses/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import en from '@/lib/i18n/messages/en.json';
import { v } from '@/lib/i18n/validation';

export const ANNOUNCEMENT_POSTED = 'lectern/announcement.posted.v1' as const;
export const ANNOUNCEMENTS_PAGE_SIZE = 10;
const BODY_MAX = 50_000;

/** What an author writes. The body is rich text from the editor; it is sanitised before it is stored. */
export const AnnouncementInput = z.object({
  title: z.string().trim().min(1, v('titleMissing')).max(200, v('tooLong')),
  // A first, cheap check that the editor's HTML has any text (an empty editor sends `<p></p>`); the
  // service checks again after sanitising.
  bodyHtml: z
    .string()
    .max(BODY_MAX, v('tooLong'))
    .refine((html) => html.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '').length > 0, en.announcements.validation.bodyMissing),
});
export type AnnouncementInput = z.infer<typeof AnnouncementInput>;

export type Announcement = typeof schema.announcements.$inferSelect;

/**
 * Post an announcement to a course: its instructors and TAs (and org admins) may, learners may not. The row
 * and `lectern/announcement.posted.v1` are written in the caller's transaction and nothing else happens
 * here: the `fan-out-announcement` job notifies the learners after commit, however many there are.
 */
export async function postAnnouncement(tx: Tx, ctx: MemberContext, courseId: string, raw: AnnouncementInput): Promise<Announcement> {
  await assertCanTeach(tx, ctx, courseId);
  const input = AnnouncementInput.parse(raw);
  const bodyHtml = await sanitizeRichText(input.bodyHtml);
  // Sanitising can leave nothing (only a script, say): an announcement must say something.
  if (!(await richTextToPlain(bodyHtml))) {
    throw new z.ZodError([{ code: 'custom', path: ['bodyHtml'], message: en.announcements.validation.bodyMissing, input: input.bodyHtml }]);
  }
  const [row] = await tx
    .insert(schema.announcements)
    .values({ tenantId: ctx.tenant.id, courseId, authorId: ctx.user.id, title: input.title, bodyHtml })
    .returning();
  await emit(tx, ctx.tenant.id, ANNOUNCEMENT_POSTED, { announcementId: row!.id, courseId });
  return row!;
}

/**
 * Delete an announcement (course staff). Its notices already delivered stay in people's bells; a fan-out
 * that has not run yet finds no announcement and sends nothing. Deleting one that is gone is a no-op.
 */
export async function deleteAnnouncement(tx: Tx, ctx: MemberContext, announcementId: string): Promise<{ deleted: boolean }> {
  if (!z.uuid().safeParse(announcementId).success) return { deleted: false };
  const [row] = await tx
    .select({ id: schema.announcements.id, courseId: schema.announcements.courseId })
    .from(schema.announcements)
    .where(eq(schema.announcements.id, announcementId))
    .limit(1);
  if (!row) return { deleted: false };
  await assertCanTeach(tx, ctx, row.courseId);
  const deleted = await tx.delete(schema.announcements).where(eq(schema.announcements.id, row.id)).returning({ id: schema.announcements.id });
  return { deleted: deleted.length > 0 };
}

export type AnnouncementRow = {
  id: string;
  title: string;
  bodyHtml: string;
  createdAt: Date;
  authorName: string | null;
  /** Staff only: learners notified, and null while the fan-out has not finished. */
  recipients?: number;
  fannedOutAt?: Date | null;
};

export type CourseAnnouncements = {
  course: Pick<Course, 'id' | 'slug' | 'title' | 'status'>;
  /** Staff (instructors, TAs, org admins): may post and delete, and see delivery. */
  canManage: boolean;
  rows: AnnouncementRow[];
  total: number;
  page: number;
  pageSize: number;
};

/**
 * A course's announcements, newest first, a page at a time. Who may read: course staff (with delivery
 * state) and members with an active enrolment in the published course. Anyone else gets `notEnrolled`
 * (the page sends them to the course's landing page); another organisation's course is not found.
 */
export async function courseAnnouncements(tx: Tx, ctx: MemberContext, courseSlug: string, opts: { page: number }): Promise<CourseAnnouncements> {
  const course = await findCourseBySlug(tx, courseSlug);
  const access = await courseAccess(tx, ctx, course.id);
  assertCanRead(course, access);
  const page = Math.max(1, Math.floor(opts.page));
  const a = schema.announcements;
  const [rows, [total]] = await Promise.all([
    tx
      .select({ id: a.id, title: a.title, bodyHtml: a.bodyHtml, createdAt: a.createdAt, recipients: a.recipients, fannedOutAt: a.fannedOutAt, authorName: schema.users.name })
      .from(a)
      .leftJoin(schema.users, eq(schema.users.id, a.authorId))
      .where(eq(a.courseId, course.id))
      .orderBy(desc(a.createdAt), desc(a.id))
      .limit(ANNOUNCEMENTS_PAGE_SIZE)
      .offset((page - 1) * ANNOUNCEMENTS_PAGE_SIZE),
    tx.select({ n: count() }).from(a).where(eq(a.courseId, course.id)),
  ]);
  const out = await Promise.all(
    rows.map(async (r): Promise<AnnouncementRow> => {
      const base = { id: r.id, title: r.title, bodyHtml: await sanitizeRichText(r.bodyHtml), createdAt: r.createdAt, authorName: r.authorName };
      return access.canTeach ? { ...base, recipients: r.recipients, fannedOutAt: r.fannedOutAt } : base;
    }),
  );
  return {
    course: { id: course.id, slug: course.slug, title: course.title, status: course.status },
    canManage: access.canTeach,
    rows: out,
    total: total?.n ?? 0,
    page,
    pageSize: ANNOUNCEMENTS_PAGE_SIZE,
  };
}

/** Staff read every course they teach; others need an active enrolment in a published course. */
function assertCanRead(course: Course, access: CourseAccess): void {
  if (access.canTeach) return;
  if (!access.courseRole) throw new ForbiddenError('notEnrolled');
  if (course.status !== 'published') throw new NotFoundError('courseNotFound');
}
