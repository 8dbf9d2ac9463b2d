import { and, eq, isNull, sql } from 'drizzle-orm';
import { createTranslator } from 'use-intl/core';
import { schema, type Tx } from '@/db/client';
import { emit } from '@/lib/events/outbox';
import en from '@/lib/i18n/messages/en.json';
import { notify } from '@/lib/notifications/service';
import { objectStore } from '@/lib/storage';
import { contentKey } from '@/lib/storage/store';
import { isUniqueViolation } from '@/lib/tenancy/tenants';
import { tenantOrigin } from '@/lib/tenancy/urls';
import { newCertificateCode } from './code';
import { renderCertificatePdf } from './pdf';

/** What a certificate is for: a course or a program (never both; the table checks it). */
export type CertificateSubject = { courseId: string } | { programId: string };

/** JSON-safe (a workflow step keeps it as its result). `created`: this call issued it, so it must be announced. */
export type IssuedCertificate = { id: string; code: string; title: string; userId: string; created: boolean };

/** Where a certificate can be checked by anyone: the organisation's own site. */
export function verifyUrl(tenantSlug: string, code: string): string {
  return `${tenantOrigin(tenantSlug)}/verify/${code}`;
}

/** The learner's certificates page; notices link to their certificate there. */
export function certificateLink(certificateId: string): string {
  return `/account/certificates#certificate-${certificateId}`;
}

function subjectWhere(subject: CertificateSubject) {
  const c = schema.certificates;
  return 'courseId' in subject ? eq(c.courseId, subject.courseId) : eq(c.programId, subject.programId);
}

/** The organisation's name, colour, logo and address, read in the job's transaction (getBranding is per request). */
async function organisationLook(tx: Tx, tenantId: string) {
  const [row] = await tx
    .select({
      slug: schema.tenants.slug,
      name: schema.tenants.name,
      displayName: schema.tenantSettings.displayName,
      primaryColor: schema.tenantSettings.primaryColor,
      logoType: schema.brandAssets.contentType,
      logoData: schema.brandAssets.data,
    })
    .from(schema.tenants)
    .leftJoin(schema.tenantSettings, eq(schema.tenantSettings.tenantId, schema.tenants.id))
    .leftJoin(schema.brandAssets, and(eq(schema.brandAssets.tenantId, schema.tenantSettings.tenantId), eq(schema.brandAssets.id, schema.tenantSettings.logoAssetId)))
    .where(eq(schema.tenants.id, tenantId))
    .limit(1);
  if (!row) throw new Error(`certificates: organisation ${tenantId} not found`);
  return {
    slug: row.slug,
    name: row.displayName ?? row.name,
    brandColor: row.primaryColor ?? '#4f46e5',
    logo: row.logoType && row.logoData ? { contentType: row.logoType, data: new Uint8Array(row.logoData) } : null,
  };
}

async function subjectTitle(tx: Tx, subject: CertificateSubject): Promise<string | null> {
  if ('courseId' in subject) {
    const [c] = await tx.select({ title: schema.courses.title }).from(schema.courses).where(eq(schema.courses.id, subject.courseId)).limit(1);
    return c?.title ?? null;
  }
  const [p] = await tx.select({ title: schema.programs.title }).from(schema.programs).where(eq(schema.programs.id, subject.programId)).limit(1);
  return p?.title ?? null;
}

/**
 * Issue the learner's one certificate for a course or program (the caller has checked they earned it): the
 * row with a fresh random code and the recipient's name and the title as they are now, then the PDF, stored
 * content-addressed, its key on the row. Idempotent: a certificate that exists is returned, not made again
 * (`created: false`); two issuers at once meet on the unique index and one of them finds the other's row.
 * The PDF is written to storage before the transaction commits: a failure after that leaves at most an
 * unreferenced file, never a row without its PDF.
 */
export async function issueCertificate(tx: Tx, tenantId: string, input: { userId: string; subject: CertificateSubject; completedAt: Date }): Promise<IssuedCertificate | null> {
  const c = schema.certificates;
  const [existing] = await tx
    .select({ id: c.id, code: c.code, title: c.title, recipientName: c.recipientName, fileKey: c.fileKey })
    .from(c)
    .where(and(eq(c.userId, input.userId), subjectWhere(input.subject)))
    .limit(1);
  if (existing?.fileKey) return { id: existing.id, code: existing.code, title: existing.title, userId: input.userId, created: false };

  const [user] = await tx.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, input.userId)).limit(1);
  const title = existing?.title ?? (await subjectTitle(tx, input.subject));
  if (!user || !title) return null; // the person or the course went away before the job ran
  const org = await organisationLook(tx, tenantId);

  let row = existing ?? null;
  let created = false;
  for (let attempt = 0; !row && attempt < 5; attempt++) {
    try {
      // In a savepoint: a code that collides (p ≈ 0) or a concurrent issuer must not abort the job's transaction.
      const [inserted] = await tx.transaction((sp) =>
        sp
          .insert(c)
          .values({ tenantId, code: newCertificateCode(), userId: input.userId, ...input.subject, recipientName: user.name, title })
          .returning({ id: c.id, code: c.code, title: c.title, recipientName: c.recipientName, fileKey: c.fileKey }),
      );
      row = inserted ?? null;
      created = true;
    } catch (e) {
      if (isUniqueViolation(e, 'certificates_code_key')) continue;
      if (!isUniqueViolation(e)) throw e;
      const [other] = await tx.select({ id: c.id, code: c.code, title: c.title, recipientName: c.recipientName, fileKey: c.fileKey }).from(c).where(and(eq(c.userId, input.userId), subjectWhere(input.subject)));
      if (other?.fileKey) return { id: other.id, code: other.code, title: other.title, userId: input.userId, created: false };
      row = other ?? null;
    }
  }
  if (!row) throw new Error('certificates: could not find a free code');

  const pdf = await renderCertificatePdf({
    organisation: org.name,
    brandColor: org.brandColor,
    logo: org.logo,
    recipientName: row.recipientName,
    title: row.title,
    kind: 'courseId' in input.subject ? 'course' : 'program',
    completedAt: input.completedAt,
    code: row.code,
    verifyUrl: verifyUrl(org.slug, row.code),
  });
  const { key } = contentKey(tenantId, pdf, 'pdf');
  await objectStore().put(key, pdf, { contentType: 'application/pdf' });
  await tx.update(c).set({ fileKey: key }).where(and(eq(c.id, row.id), isNull(c.fileKey)));
  return { id: row.id, code: row.code, title: row.title, userId: input.userId, created };
}

const notice = createTranslator({ locale: 'en', messages: en, namespace: 'certificates.notice' });

/** Tell the learner (in-app notice, mailed per their preference) and everyone listening (the event). Idempotent per certificate. */
export async function announceCertificate(tx: Tx, tenantId: string, cert: IssuedCertificate, kind: 'course' | 'program'): Promise<void> {
  await notify(tx, tenantId, [
    {
      userId: cert.userId,
      type: 'certificate-issued',
      title: notice('title', { title: cert.title }),
      body: notice(kind === 'program' ? 'bodyProgram' : 'bodyCourse', { title: cert.title, code: cert.code }),
      link: certificateLink(cert.id),
      dedupeKey: `certificate:${cert.id}`,
    },
  ]);
  await emit(tx, tenantId, 'lectern/certificate.issued.v1', { certificateId: cert.id, userId: cert.userId, kind, code: cert.code });
}

/** For a learner's course completion, the completed learner enrolment it names (staff enrolments never complete, but check). */
export async function completedLearnerEnrolment(tx: Tx, input: { enrolmentId: string; userId: string; courseId: string }) {
  const e = schema.enrolments;
  const [row] = await tx
    .select({ completedAt: e.completedAt })
    .from(e)
    .where(and(eq(e.id, input.enrolmentId), eq(e.userId, input.userId), eq(e.courseId, input.courseId), eq(e.role, 'learner'), sql`${e.completedAt} is not null`))
    .limit(1);
  return row ?? null;
}
