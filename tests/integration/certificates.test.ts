import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { setLogo, updateBranding } from '@/lib/branding/service';
import { CertificateError } from '@/lib/certificates/errors';
import { certificateFile, listCertificates, listMyCertificates, reinstateCertificate, revokeCertificate, verifyCertificate } from '@/lib/certificates/service';
import { updateCourse } from '@/lib/courses/service';
import { enrolMembers } from '@/lib/enrolment/service';
import { emit } from '@/lib/events/outbox';
import { ForbiddenError } from '@/lib/errors';
import { JOBS } from '@/lib/jobs/registry';
import { runJob } from '@/lib/jobs/run';
import { drainOnce } from '@/lib/jobs/worker';
import { objectStore } from '@/lib/storage';
import { completeCourse, shortCourse, type ShortCourse } from '../support/courses';
import { addMember, as, makeOrg, type Org } from '../support/factories';
import { PNG_1x1 } from '../support/images';
import { ownerSql } from '../support/owner';
import { pdfText } from '../support/pdf-text';

// PDFs go to a throwaway folder, never the developer's .data/.
const filesDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-certificates-'));
process.env.FILES_DIR = filesDir;
const owner = ownerSql();
afterAll(async () => {
  await owner.end();
  rmSync(filesDir, { recursive: true, force: true });
});

let acme: Org;
let globex: Org;
let instructor: MemberContext;
let admin: MemberContext;
let course: ShortCourse;

type CertRow = { id: string; code: string; user_id: string; course_id: string | null; program_id: string | null; recipient_name: string; title: string; file_key: string | null; revoked_at: Date | null; revoked_reason: string | null };

async function certificatesOf(userId: string): Promise<CertRow[]> {
  return owner<CertRow[]>`select id, code, user_id, course_id, program_id, recipient_name, title, file_key, revoked_at, revoked_reason from certificates where user_id = ${userId} order by issued_at`;
}

async function noticesOf(userId: string) {
  return owner<{ type: string; title: string; body: string; link: string; dedupe_key: string }[]>`select type, title, body, link, dedupe_key from notifications where user_id = ${userId} and type = 'certificate-issued'`;
}

async function issuedEvents(userId: string) {
  return owner<{ payload: { certificateId: string; kind: string; code: string } }[]>`select payload from outbox where name = 'lectern/certificate.issued.v1' and payload->>'userId' = ${userId}`;
}

/** A learner who has completed `course`, with the jobs run: their one certificate. */
async function certifiedLearner(c: ShortCourse = course, opts: { name?: string } = {}): Promise<{ learner: MemberContext; cert: CertRow }> {
  const learner = await addMember(acme.tenant, 'learner', opts);
  await completeCourse(learner, c);
  await drainOnce();
  const [cert] = await certificatesOf(learner.user.id);
  if (!cert) throw new Error('no certificate was issued');
  return { learner, cert };
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  instructor = await addMember(acme.tenant, 'instructor');
  admin = await addMember(acme.tenant, 'admin');
  course = await shortCourse(instructor, 'Workplace Safety');
  await drainOnce();
});

describe('issue on completion', () => {
  it('issues one certificate with a random code, the name and title as they are, a branded PDF, a notice and an event', async () => {
    await as(acme.owner, (tx, ctx) => updateBranding(tx, ctx, { displayName: 'Acme Academy', primaryColor: '#0f766e', accentColor: '#4f46e5', allowSelfSignup: false }));
    await as(acme.owner, (tx, ctx) => setLogo(tx, ctx, { logo: new File([PNG_1x1], 'logo.png', { type: 'image/png' }) }));
    const learner = await addMember(acme.tenant, 'learner', { name: 'Grace Hopper' });
    await completeCourse(learner, course);
    expect(await certificatesOf(learner.user.id)).toEqual([]); // nothing before the job runs

    await drainOnce();
    const certs = await certificatesOf(learner.user.id);
    expect(certs).toHaveLength(1);
    const cert = certs[0]!;
    expect(cert).toMatchObject({ course_id: course.id, program_id: null, recipient_name: 'Grace Hopper', title: 'Workplace Safety', revoked_at: null });
    expect(cert.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(cert.file_key).toMatch(new RegExp(`^t/${acme.tenant.id}/[0-9a-f]{2}/[0-9a-f]{64}\\.pdf$`));

    const stored = await objectStore().get(cert.file_key!);
    expect(stored?.contentType).toBe('application/pdf');
    const pdf = stored!.body;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getAuthor()).toBe('Acme Academy');
    const text = await pdfText(pdf);
    for (const s of ['Acme Academy', 'Grace Hopper', 'Workplace Safety', `Certificate code: ${cert.code}`, `http://acme.localhost:3000/verify/${cert.code}`]) expect(text).toContain(s);
    // The organisation's logo is drawn.
    expect(doc.context.enumerateIndirectObjects().some(([, o]) => String((o as { dict?: unknown }).dict ?? '').includes('/Subtype /Image'))).toBe(true);

    expect(await noticesOf(learner.user.id)).toEqual([
      {
        type: 'certificate-issued',
        title: 'Your certificate for Workplace Safety is ready',
        body: expect.stringContaining(cert.code),
        link: `/account/certificates#certificate-${cert.id}`,
        dedupe_key: `certificate:${cert.id}`,
      },
    ]);
    expect((await issuedEvents(learner.user.id)).map((e) => e.payload)).toEqual([{ certificateId: cert.id, userId: learner.user.id, kind: 'course', code: cert.code }]);

    // Copied at issue: renaming the course later does not change the certificate.
    await as(instructor, (tx, ctx) =>
      updateCourse(tx, ctx, course.id, { title: 'Workplace Safety (2027)', slug: course.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
    );
    expect((await certificatesOf(learner.user.id))[0]!.title).toBe('Workplace Safety');
    await as(instructor, (tx, ctx) =>
      updateCourse(tx, ctx, course.id, { title: 'Workplace Safety', slug: course.slug, summary: '', descriptionHtml: '', category: '', tags: '', language: 'en', enrolmentMode: 'open', capacity: '', startsAt: '', endsAt: '' } as never),
    );
  });

  it('issues nothing new when the event is redelivered, or when another event reports the same completion', async () => {
    const { learner, cert } = await certifiedLearner();
    const [event] = await owner<{ id: string; name: string; payload: Record<string, unknown>; created_at: Date }[]>`
      select id, name, payload, created_at from outbox where name = 'lectern/course.completed.v1' and payload->>'userId' = ${learner.user.id}`;

    // Redelivered (at-least-once): the run is recorded as done.
    await owner`update outbox set sent_at = null, next_attempt_at = now() where id = ${event!.id}`;
    await drainOnce();
    const job = JOBS.find((j) => j.id === 'issue-course-certificate')!;
    const again = await withTenant(acme.tenant.id, (tx) => runJob(tx, job, acme.tenant.id, { id: event!.id, name: 'lectern/course.completed.v1', payload: event!.payload, createdAt: event!.created_at }));
    expect(again.status).toBe('already-done');

    // A second event for the same completion (a new id): the handler runs and finds the certificate.
    await withTenant(acme.tenant.id, (tx) => emit(tx, acme.tenant.id, 'lectern/course.completed.v1', event!.payload));
    await drainOnce();

    expect(await certificatesOf(learner.user.id)).toEqual([cert]);
    expect(await noticesOf(learner.user.id)).toHaveLength(1);
    expect(await issuedEvents(learner.user.id)).toHaveLength(1);
  });

  it('issues nothing to staff or for a completion that did not happen, even when an event claims it', async () => {
    const ta = await addMember(acme.tenant, 'learner');
    await as(instructor, (tx, ctx) => enrolMembers(tx, ctx, course.id, [{ email: ta.user.email, role: 'ta' }]));
    const enrolments = await owner<{ id: string; user_id: string }[]>`select id, user_id from enrolments where course_id = ${course.id} and user_id in (${ta.user.id}, ${instructor.user.id})`;
    const notDone = await addMember(acme.tenant, 'learner');
    await as(notDone, (tx, ctx) => import('@/lib/enrolment/service').then((m) => m.selfEnrol(tx, ctx, course.id)));
    const [open] = await owner<{ id: string }[]>`select id from enrolments where course_id = ${course.id} and user_id = ${notDone.user.id}`;
    // Staff enrolments cannot complete (the player refuses); forge the events a bug could send.
    await owner`update enrolments set completed_at = now() where id in ${owner(enrolments.map((e) => e.id))}`;
    for (const e of [...enrolments, { id: open!.id, user_id: notDone.user.id }]) {
      await withTenant(acme.tenant.id, (tx) => emit(tx, acme.tenant.id, 'lectern/course.completed.v1', { enrolmentId: e.id, courseId: course.id, userId: e.user_id, completedAt: new Date().toISOString() }));
    }
    await drainOnce();
    for (const id of [ta.user.id, instructor.user.id, notDone.user.id]) expect(await certificatesOf(id)).toEqual([]);
  });
});

describe('downloads', () => {
  it('gives the PDF to its owner and to org admins, and to nobody else — another learner, staff, another organisation', async () => {
    const { learner, cert } = await certifiedLearner();
    const other = await addMember(acme.tenant, 'learner');
    expect(await as(learner, (tx, ctx) => certificateFile(tx, ctx, cert.id))).toEqual({ key: cert.file_key, filename: 'Workplace Safety certificate.pdf' });
    expect((await as(admin, (tx, ctx) => certificateFile(tx, ctx, cert.id))).key).toBe(cert.file_key);
    expect((await as(acme.owner, (tx, ctx) => certificateFile(tx, ctx, cert.id))).key).toBe(cert.file_key);

    const globexAdmin = await addMember(globex.tenant, 'admin');
    for (const who of [other, instructor, globex.owner, globexAdmin]) {
      const refused = await as(who, (tx, ctx) => certificateFile(tx, ctx, cert.id)).catch((e: unknown) => e);
      expect(refused, who.user.email).toBeInstanceOf(CertificateError);
      expect(refused).toMatchObject({ code: 'notFound', status: 404 });
    }
    // Not an id at all, or an id that does not exist: the same answer.
    for (const id of ['nope', crypto.randomUUID()]) await expect(as(learner, (tx, ctx) => certificateFile(tx, ctx, id))).rejects.toMatchObject({ code: 'notFound', status: 404 });
  });

  it('lists a learner their own certificates only, revoked ones marked; a revoked PDF is for admins only', async () => {
    const { learner, cert } = await certifiedLearner();
    const mine = await as(learner, (tx, ctx) => listMyCertificates(tx, ctx));
    expect(mine.rows).toEqual([{ id: cert.id, code: cert.code, title: 'Workplace Safety', kind: 'course', issuedAt: expect.any(Date), revokedAt: null, revokedReason: null }]);
    expect((await as(admin, (tx, ctx) => listMyCertificates(tx, ctx))).rows).toEqual([]);

    await as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'Completed on someone else’s account' }));
    const after = await as(learner, (tx, ctx) => listMyCertificates(tx, ctx));
    expect(after.rows[0]).toMatchObject({ revokedAt: expect.any(Date), revokedReason: 'Completed on someone else’s account' });
    await expect(as(learner, (tx, ctx) => certificateFile(tx, ctx, cert.id))).rejects.toMatchObject({ code: 'revokedNoDownload', status: 403 });
    expect((await as(admin, (tx, ctx) => certificateFile(tx, ctx, cert.id))).key).toBe(cert.file_key);
  });
});

describe('verification', () => {
  it('confirms a valid code (however typed), says when and why one was revoked, and knows no unknown or other-organisation code', async () => {
    const { cert } = await certifiedLearner(course, { name: 'Katherine Johnson' });
    const verify = (tenantId: string, code: string) => withTenant(tenantId, (tx) => verifyCertificate(tx, tenantId, code));

    expect(await verify(acme.tenant.id, cert.code)).toEqual({ code: cert.code, recipientName: 'Katherine Johnson', title: 'Workplace Safety', kind: 'course', issuedAt: expect.any(Date), revokedAt: null, revokedReason: null });
    expect((await verify(acme.tenant.id, ` ${cert.code.toLowerCase().replace(/-/g, ' ')} `))?.code).toBe(cert.code);

    // Unknown, malformed, and another organisation's real code: all simply not found.
    const globexCourse = await shortCourse(await addMember(globex.tenant, 'instructor'), 'Globex Onboarding');
    const globexLearner = await addMember(globex.tenant, 'learner');
    await completeCourse(globexLearner, globexCourse);
    await drainOnce();
    const [globexCert] = await certificatesOf(globexLearner.user.id);
    expect(await verify(globex.tenant.id, globexCert!.code)).not.toBeNull();
    expect(await verify(acme.tenant.id, globexCert!.code)).toBeNull();
    expect(await verify(globex.tenant.id, cert.code)).toBeNull();
    expect(await verify(acme.tenant.id, 'ABCD-EFGH-JKMN-PQRS')).toBeNull();
    expect(await verify(acme.tenant.id, "x' or '1'='1")).toBeNull();

    // Revocation shows at once, with its reason; un-revoking makes it valid again.
    await as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: '  Issued   by mistake ' }));
    expect(await verify(acme.tenant.id, cert.code)).toMatchObject({ revokedAt: expect.any(Date), revokedReason: 'Issued by mistake' });
    await as(admin, (tx, ctx) => reinstateCertificate(tx, ctx, { certificateId: cert.id }));
    expect(await verify(acme.tenant.id, cert.code)).toMatchObject({ revokedAt: null, revokedReason: null });
  });
});

describe('revocation', () => {
  it('takes an org admin and a reason, is audited, and cannot be done twice; un-revoking is audited too', async () => {
    const { learner, cert } = await certifiedLearner();
    for (const who of [learner, instructor]) {
      await expect(as(who, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'nope' }))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(as(who, (tx, ctx) => reinstateCertificate(tx, ctx, { certificateId: cert.id }))).rejects.toBeInstanceOf(ForbiddenError);
    }
    for (const reason of ['', '   ', undefined]) {
      await expect(as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason }))).rejects.toMatchObject({ code: 'reasonRequired', field: 'reason' });
    }
    await expect(as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'x'.repeat(501) }))).rejects.toThrow();
    // Another organisation's admin cannot reach it.
    await expect(as(globex.owner, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'Cross-tenant' }))).rejects.toMatchObject({ code: 'notFound' });
    expect((await certificatesOf(learner.user.id))[0]!.revoked_at).toBeNull();

    await as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'Plagiarised assessment' }));
    await expect(as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'Again' }))).rejects.toMatchObject({ code: 'alreadyRevoked', status: 409 });
    const [row] = await owner`select revoked_at, revoked_by, revoked_reason from certificates where id = ${cert.id}`;
    expect(row).toMatchObject({ revoked_at: expect.any(Date), revoked_by: admin.user.id, revoked_reason: 'Plagiarised assessment' });

    await as(admin, (tx, ctx) => reinstateCertificate(tx, ctx, { certificateId: cert.id }));
    await expect(as(admin, (tx, ctx) => reinstateCertificate(tx, ctx, { certificateId: cert.id }))).rejects.toMatchObject({ code: 'notRevoked' });

    const audit = await owner`select action, actor_user_id, target_id, before, after from audit_log where target_id = ${cert.id} order by created_at`;
    expect([...audit]).toEqual([
      { action: 'certificate.revoked', actor_user_id: admin.user.id, target_id: cert.id, before: { revokedAt: null }, after: { revokedAt: expect.any(String), reason: 'Plagiarised assessment' } },
      { action: 'certificate.reinstated', actor_user_id: admin.user.id, target_id: cert.id, before: { revokedAt: expect.any(String), reason: 'Plagiarised assessment' }, after: { revokedAt: null } },
    ]);
    const events = await owner`select name from outbox where name like 'lectern/certificate.%' and payload->>'certificateId' = ${cert.id} order by created_at`;
    expect(events.map((e) => e.name)).toEqual(['lectern/certificate.issued.v1', 'lectern/certificate.revoked.v1', 'lectern/certificate.reinstated.v1']);
  });

  it('lists every certificate to admins only, searchable by learner name, email or code, filterable and paged', async () => {
    const { learner, cert } = await certifiedLearner(course, { name: 'Dorothy Vaughan' });
    await expect(as(learner, (tx, ctx) => listCertificates(tx, ctx, {}))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(as(instructor, (tx, ctx) => listCertificates(tx, ctx, {}))).rejects.toBeInstanceOf(ForbiddenError);

    const all = await as(admin, (tx, ctx) => listCertificates(tx, ctx, {}));
    expect(all.total).toBe((await owner`select count(*)::int as n from certificates where tenant_id = ${acme.tenant.id}`)[0]!.n);
    expect(all.rows[0]).toMatchObject({ id: cert.id, recipientName: 'Dorothy Vaughan', email: learner.user.email }); // newest first
    for (const q of ['dorothy', learner.user.email.toUpperCase(), cert.code, cert.code.toLowerCase().replace(/-/g, '')]) {
      const found = await as(admin, (tx, ctx) => listCertificates(tx, ctx, { q }));
      expect(found.rows.map((r) => r.id), q).toEqual([cert.id]);
    }
    expect((await as(admin, (tx, ctx) => listCertificates(tx, ctx, { q: '%' }))).rows).toEqual([]); // LIKE wildcards are literal
    await as(admin, (tx, ctx) => revokeCertificate(tx, ctx, { certificateId: cert.id, reason: 'Test' }));
    expect((await as(admin, (tx, ctx) => listCertificates(tx, ctx, { status: 'revoked' }))).rows.map((r) => r.id)).toContain(cert.id);
    expect((await as(admin, (tx, ctx) => listCertificates(tx, ctx, { status: 'valid' }))).rows.map((r) => r.id)).not.toContain(cert.id);
    // Another organisation's admin sees none of these.
    expect((await as(globex.owner, (tx, ctx) => listCertificates(tx, ctx, { q: cert.code }))).total).toBe(0);

    // Pages of 20.
    const more = await Promise.all(Array.from({ length: 21 }, () => addMember(acme.tenant, 'learner')));
    for (const l of more) await completeCourse(l, course);
    await drainOnce();
    const page1 = await as(admin, (tx, ctx) => listCertificates(tx, ctx, { page: 1 }));
    const page2 = await as(admin, (tx, ctx) => listCertificates(tx, ctx, { page: 2 }));
    expect(page1.rows).toHaveLength(20);
    expect(page2.rows.length).toBe(page1.total - 20);
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id)).size).toBe(page1.total);
  });
});
