'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { failureState, memberAction, type ActionState } from '@/lib/auth/action';
import { currentTenantSlug, getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { setAccommodation } from '@/lib/assessment/grading';
import { checkImportRows, commitImport, ImportRows } from '@/lib/enrolment/import';
import { decideRequest, enrolMembers, setCourseRole, unenrol } from '@/lib/enrolment/service';
import { EmailSchema } from '@/lib/schemas';

// Course staff need not be org instructors (a learner of the organisation may TA a course): every
// action admits any member and the enrolment services decide, from the course role, who may do what.
const ANY_MEMBER = 'learner' as const;

const CourseRoleInput = z.enum(['learner', 'ta', 'instructor']);
const MAX_EMAILS = 500;

export const decideRequestAction = memberAction(
  { role: ANY_MEMBER, input: z.object({ enrolmentId: z.uuid(), decision: z.enum(['approve', 'decline']), name: z.string().max(200).default('') }) },
  async (tx, ctx, input) => {
    await decideRequest(tx, ctx, input.enrolmentId, input.decision);
    const t = await getTranslations('roster');
    return { ok: true, message: t(input.decision === 'approve' ? 'approvedOne' : 'declinedOne', { name: input.name }) };
  },
);

export const setCourseRoleAction = memberAction({ role: ANY_MEMBER, input: z.object({ enrolmentId: z.uuid(), role: CourseRoleInput }) }, async (tx, ctx, input) => {
  await setCourseRole(tx, ctx, input.enrolmentId, input.role);
  return { ok: true, message: (await getTranslations('roster'))('roleSaved') };
});

export const unenrolAction = memberAction({ role: ANY_MEMBER, input: z.object({ enrolmentId: z.uuid(), name: z.string().max(200).default('') }) }, async (tx, ctx, input) => {
  await unenrol(tx, ctx, input.enrolmentId);
  return { ok: true, message: (await getTranslations('roster'))('removed', { name: input.name }) };
});

/** The "add by email" box: addresses separated by new lines, commas, semicolons or spaces. */
export const enrolByEmailAction = memberAction(
  { role: ANY_MEMBER, input: z.object({ courseId: z.uuid(), emails: z.string().max(100_000), role: CourseRoleInput }) },
  async (tx, ctx, input) => {
    const t = await getTranslations('roster.add');
    const words = [...new Set(input.emails.split(/[\s,;]+/).filter(Boolean))];
    const fail = (message: string) => ({ ok: false, message, fieldErrors: { emails: message }, values: { emails: input.emails, role: input.role } });
    if (!words.length) return fail(t('emailsMissing'));
    if (words.length > MAX_EMAILS) return fail(t('emailsTooMany', { max: MAX_EMAILS }));
    const parsed = words.map((w) => ({ word: w, email: EmailSchema.safeParse(w) }));
    const invalid = parsed.filter((p) => !p.email.success).map((p) => p.word);
    if (invalid.length) return fail(t('emailsInvalid', { count: invalid.length, list: invalid.slice(0, 5).join(', ') }));
    const emails = [...new Set(parsed.map((p) => p.email.data!))];
    const result = await enrolMembers(tx, ctx, input.courseId, emails.map((email) => ({ email, role: input.role })));
    return { ok: true, message: t('added', { added: result.added, already: result.alreadyEnrolled }), data: result };
  },
);

/** Rows of an enrolment file, as JSON in one form field (the browser parses the file). */
const RowsField = z.string().transform((s, c) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    c.addIssue({ code: 'custom', message: 'rows must be JSON' });
    return z.NEVER;
  }
}).pipe(ImportRows);

const ImportInput = z.object({ courseId: z.uuid(), rows: RowsField });

/**
 * Check one chunk of a file's rows; nothing is written. Not built with memberAction because that refreshes
 * the page after every call, and a 15,000-row file is checked in 8 calls: re-rendering the roster each time
 * took a check from 2.5 s to 32 s here. The same steps otherwise: organisation from the Host, the signed-in
 * member (any role: the service authorises by course role), validated input, a tenant transaction, domain
 * errors as messages.
 */
export async function checkImportAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const slug = await currentTenantSlug();
  const ctx = slug ? await getMember(slug) : null;
  const t = await getTranslations('actions');
  if (!ctx) return { ok: false, message: t('sessionEnded') };
  const parsed = ImportInput.safeParse({ courseId: formData.get('courseId'), rows: formData.get('rows') });
  if (!parsed.success) return { ok: false, message: t('correctFields') };
  try {
    const checks = await withMember(ctx, (tx) => checkImportRows(tx, ctx, parsed.data.courseId, parsed.data.rows));
    return { ok: true, data: { checks } };
  } catch (e) {
    // Not the form data: echoing 2,000 rows back as "values" would only double the response.
    return failureState(e, new FormData());
  }
}

/**
 * Enrol the file's rows in one transaction (the service re-checks every row; all or nothing). The browser
 * sends the rows its preview found ready, so the request stays small even for a file full of errors.
 */
export const commitImportAction = memberAction({ role: ANY_MEMBER, input: ImportInput }, async (tx, ctx, input) => {
  const result = await commitImport(tx, ctx, input.courseId, input.rows);
  return { ok: true, data: result };
});


/** Extra time and attempts for one learner on one quiz (the service checks the course role). */
export const setAccommodationAction = memberAction(
  { role: ANY_MEMBER, input: z.object({ itemId: z.uuid(), userId: z.uuid(), extraMinutes: z.string().max(10), extraAttempts: z.string().max(10) }) },
  async (tx, ctx, input) => {
    await setAccommodation(tx, ctx, input.itemId, input.userId, { extraMinutes: input.extraMinutes || '0', extraAttempts: input.extraAttempts || '0' });
    return { ok: true, message: (await getTranslations('roster.accommodations'))('saved') };
  },
);
