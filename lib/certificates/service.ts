import { and, count, desc, eq, ilike, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { emit } from '@/lib/events/outbox';
import { v } from '@/lib/i18n/validation';
import { hasRole } from '@/lib/members/roles';
import { PageParam } from '@/lib/schemas';
import { normaliseCertificateCode } from './code';
import { CertificateError } from './errors';

export const CERTIFICATES_PAGE_SIZE = 20;
export const REVOKE_REASON_MAX = 500;

const c = schema.certificates;

export type CertificateKind = 'course' | 'program';

export type MyCertificate = {
  id: string;
  code: string;
  title: string;
  kind: CertificateKind;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
};

/** The signed-in member's own certificates, newest first (revoked ones included, marked). */
export async function listMyCertificates(tx: Tx, ctx: MemberContext, raw: { page?: unknown } = {}) {
  const page = PageParam.parse(raw.page);
  const where = and(eq(c.tenantId, ctx.tenant.id), eq(c.userId, ctx.user.id));
  const [rows, [total]] = await Promise.all([
    tx
      .select({ id: c.id, code: c.code, title: c.title, courseId: c.courseId, issuedAt: c.issuedAt, revokedAt: c.revokedAt, revokedReason: c.revokedReason })
      .from(c)
      .where(where)
      .orderBy(desc(c.issuedAt), desc(c.id))
      .limit(CERTIFICATES_PAGE_SIZE)
      .offset((page - 1) * CERTIFICATES_PAGE_SIZE),
    tx.select({ n: count() }).from(c).where(where),
  ]);
  const list: MyCertificate[] = rows.map(({ courseId, ...r }) => ({ ...r, kind: courseId ? 'course' : 'program' }));
  return { rows: list, total: total?.n ?? 0, page, pageSize: CERTIFICATES_PAGE_SIZE };
}

/** `<title> certificate.pdf`, safe as a download name. */
function pdfName(title: string): string {
  const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || 'Certificate';
  return `${base} certificate.pdf`;
}

/**
 * The stored PDF of a certificate, for its owner (while it is valid) or an org admin. Anyone else — another
 * learner, staff, another organisation (RLS) — gets the same "not found" as for an id that does not exist.
 */
export async function certificateFile(tx: Tx, ctx: MemberContext, certificateId: string): Promise<{ key: string; filename: string }> {
  const notFound = new CertificateError('notFound', { status: 404 });
  if (!z.uuid().safeParse(certificateId).success) throw notFound;
  const [row] = await tx.select({ userId: c.userId, title: c.title, fileKey: c.fileKey, revokedAt: c.revokedAt }).from(c).where(and(eq(c.tenantId, ctx.tenant.id), eq(c.id, certificateId))).limit(1);
  if (!row) throw notFound;
  const admin = hasRole(ctx.role, 'admin');
  if (!admin && row.userId !== ctx.user.id) throw notFound;
  if (!admin && row.revokedAt) throw new CertificateError('revokedNoDownload', { status: 403 });
  if (!row.fileKey) throw new CertificateError('pdfPending', { status: 409 });
  return { key: row.fileKey, filename: pdfName(row.title) };
}

export const ListCertificatesInput = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  status: z.enum(['valid', 'revoked']).optional().catch(undefined),
  page: PageParam.default(1),
});
export type ListCertificatesInput = z.input<typeof ListCertificatesInput>;

/** Org admins: every certificate, newest first, searchable by learner (name or email), title or code. */
export async function listCertificates(tx: Tx, ctx: MemberContext, raw: ListCertificatesInput) {
  assertRole(ctx, 'admin');
  const input = ListCertificatesInput.parse(raw);
  const filters: SQL[] = [eq(c.tenantId, ctx.tenant.id)];
  if (input.status === 'valid') filters.push(isNull(c.revokedAt));
  if (input.status === 'revoked') filters.push(isNotNull(c.revokedAt));
  if (input.q) {
    const code = normaliseCertificateCode(input.q);
    const pattern = `%${input.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    filters.push(or(...(code ? [eq(c.code, code)] : []), ilike(c.code, pattern), ilike(c.recipientName, pattern), ilike(schema.users.email, pattern), ilike(c.title, pattern))!);
  }
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    tx
      .select({
        id: c.id,
        code: c.code,
        title: c.title,
        courseId: c.courseId,
        recipientName: c.recipientName,
        email: schema.users.email,
        issuedAt: c.issuedAt,
        revokedAt: c.revokedAt,
        revokedReason: c.revokedReason,
      })
      .from(c)
      .innerJoin(schema.users, eq(schema.users.id, c.userId))
      .where(where)
      .orderBy(desc(c.issuedAt), desc(c.id))
      .limit(CERTIFICATES_PAGE_SIZE)
      .offset((input.page - 1) * CERTIFICATES_PAGE_SIZE),
    tx.select({ n: count() }).from(c).innerJoin(schema.users, eq(schema.users.id, c.userId)).where(where),
  ]);
  return {
    rows: rows.map(({ courseId, ...r }) => ({ ...r, kind: (courseId ? 'course' : 'program') as CertificateKind })),
    total: total?.n ?? 0,
    page: input.page,
    pageSize: CERTIFICATES_PAGE_SIZE,
    q: input.q,
    status: input.status,
  };
}

export const RevokeInput = z.object({ certificateId: z.string(), reason: z.string().max(REVOKE_REASON_MAX, v('tooLong')).default('') });
export const ReinstateInput = z.object({ certificateId: z.string() });

async function lockCertificate(tx: Tx, ctx: MemberContext, certificateId: string) {
  if (!z.uuid().safeParse(certificateId).success) throw new CertificateError('notFound', { status: 404 });
  const [row] = await tx.select().from(c).where(and(eq(c.tenantId, ctx.tenant.id), eq(c.id, certificateId))).for('update');
  if (!row) throw new CertificateError('notFound', { status: 404 });
  return row;
}

/**
 * Revoke a certificate (org admins; a reason is required and kept). It stays, marked: its verification page
 * says "Revoked on <date>" with the reason from this moment on, and its owner can no longer download it.
 */
export async function revokeCertificate(tx: Tx, ctx: MemberContext, raw: z.input<typeof RevokeInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = RevokeInput.parse(raw);
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  if (!reason) throw new CertificateError('reasonRequired', { field: 'reason' });
  const row = await lockCertificate(tx, ctx, input.certificateId);
  if (row.revokedAt) throw new CertificateError('alreadyRevoked', { status: 409 });
  const now = new Date();
  await tx.update(c).set({ revokedAt: now, revokedBy: ctx.user.id, revokedReason: reason }).where(and(eq(c.tenantId, ctx.tenant.id), eq(c.id, row.id)));
  await recordAudit(tx, ctx, {
    action: 'certificate.revoked',
    targetType: 'certificate',
    targetId: row.id,
    targetLabel: `${row.code} · ${row.title} · ${row.recipientName}`,
    before: { revokedAt: null },
    after: { revokedAt: now.toISOString(), reason },
  });
  await emit(tx, ctx.tenant.id, 'lectern/certificate.revoked.v1', { certificateId: row.id, userId: row.userId, code: row.code, revokedAt: now.toISOString() });
}

/** Undo a revocation (org admins): the certificate is valid again, and the audit log keeps both steps. */
export async function reinstateCertificate(tx: Tx, ctx: MemberContext, raw: z.input<typeof ReinstateInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const input = ReinstateInput.parse(raw);
  const row = await lockCertificate(tx, ctx, input.certificateId);
  if (!row.revokedAt) throw new CertificateError('notRevoked', { status: 409 });
  await tx.update(c).set({ revokedAt: null, revokedBy: null, revokedReason: null }).where(and(eq(c.tenantId, ctx.tenant.id), eq(c.id, row.id)));
  await recordAudit(tx, ctx, {
    action: 'certificate.reinstated',
    targetType: 'certificate',
    targetId: row.id,
    targetLabel: `${row.code} · ${row.title} · ${row.recipientName}`,
    before: { revokedAt: row.revokedAt.toISOString(), reason: row.revokedReason },
    after: { revokedAt: null },
  });
  await emit(tx, ctx.tenant.id, 'lectern/certificate.reinstated.v1', { certificateId: row.id, userId: row.userId, code: row.code });
}

export type Verification = {
  code: string;
  recipientName: string;
  title: string;
  kind: CertificateKind;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
};

/**
 * Public verification (no sign-in): the certificate with this code in this organisation, or null. One probe of
 * the unique index on code; RLS limits it to the organisation of the host, so another organisation's code
 * reads exactly like an unknown one. Text that is not shaped like a code is not looked up at all.
 */
export async function verifyCertificate(tx: Tx, tenantId: string, rawCode: string): Promise<Verification | null> {
  const code = normaliseCertificateCode(rawCode);
  if (!code) return null;
  const [row] = await tx
    .select({ code: c.code, recipientName: c.recipientName, title: c.title, courseId: c.courseId, issuedAt: c.issuedAt, revokedAt: c.revokedAt, revokedReason: c.revokedReason })
    .from(c)
    .where(and(eq(c.code, code), eq(c.tenantId, tenantId)))
    .limit(1);
  if (!row) return null;
  const { courseId, ...rest } = row;
  return { ...rest, kind: courseId ? 'course' : 'program' };
}
