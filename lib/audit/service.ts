import { count, desc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { schema } from '@/db/client';
import { assertRole, type MemberContext } from '@/lib/auth/context';

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | null;
  targetLabel?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Who did it: a member, or something acting without one ('system', or a label such as "SCIM token <prefix>"). */
export type AuditActor = Pick<MemberContext, 'tenant' | 'user'> | { tenant: { id: string }; user: null; actorLabel?: string };

/** Write an audit row in the same transaction as the change it describes. */
export async function recordAudit(tx: Tx, ctx: AuditActor, entry: AuditEntry) {
  await tx.insert(schema.auditLog).values({
    tenantId: ctx.tenant.id,
    actorUserId: ctx.user?.id ?? null,
    actorLabel: ctx.user ? `${ctx.user.name} <${ctx.user.email}>` : (ctx.actorLabel ?? 'system'),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export const AUDIT_PAGE_SIZE = 25;

export async function listAudit(tx: Tx, ctx: MemberContext, input: { page: number }) {
  assertRole(ctx, 'admin');
  const page = Math.max(1, input.page);
  const [rows, [total]] = await Promise.all([
    tx
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.tenantId, ctx.tenant.id))
      .orderBy(desc(schema.auditLog.createdAt), desc(schema.auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((page - 1) * AUDIT_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.auditLog).where(eq(schema.auditLog.tenantId, ctx.tenant.id)),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: AUDIT_PAGE_SIZE };
}
