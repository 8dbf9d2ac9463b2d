import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext, type TenantRef } from '@/lib/auth/context';
import { matchesHash, newOrgSecret, parseOrgSecret, SCIM_TOKEN_KIND } from '@/lib/auth/tokens';
import { NotFoundError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';

/**
 * SCIM bearer tokens: `scim_<orgslug>_<32 base62>` (~190 random bits). The slug names the organisation (global
 * lookup); the token is then checked inside that organisation's RLS transaction against its SHA-256 (a fast hash
 * is enough for a secret this random). Shown once; the visible prefix (`scim_acme_Ab12Cd34`) names it in lists
 * and in the audit log.
 */

/** last_used_at is written at most this often: a sync sends many requests, each should not rewrite the row. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

/** The organisation slug a token names, or null when it is not shaped like a token at all. */
export const parseScimToken = (token: string) => parseOrgSecret(SCIM_TOKEN_KIND, token);

export type ScimTokenRef = { id: string; prefix: string };

/**
 * The live token behind a bearer secret in the organisation whose transaction `tx` is, or null (unknown,
 * revoked, or another organisation's, which RLS never shows). Looked up by its prefix, compared in constant time.
 */
export async function verifyScimToken(tx: Tx, tenantId: string, token: string, now = new Date()): Promise<ScimTokenRef | null> {
  const parsed = parseScimToken(token);
  if (!parsed) return null;
  const t = schema.scimTokens;
  const [row] = await tx
    .select({ id: t.id, prefix: t.prefix, secretHash: t.secretHash })
    .from(t)
    .where(and(eq(t.tenantId, tenantId), eq(t.prefix, parsed.prefix), isNull(t.revokedAt)))
    .limit(1);
  if (!row) return null;
  if (!matchesHash(token, row.secretHash)) return null;
  await tx
    .update(t)
    .set({ lastUsedAt: now })
    .where(and(eq(t.tenantId, tenantId), eq(t.id, row.id), or(isNull(t.lastUsedAt), lt(t.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  return { id: row.id, prefix: row.prefix };
}

export const CreateScimTokenInput = z.object({ name: z.string().trim().min(1, v('nameMissing')).max(80, v('nameTooLong')) });

/** A new token for the organisation; the secret is returned once and only its hash is kept. */
export async function createScimToken(tx: Tx, ctx: MemberContext, input: z.infer<typeof CreateScimTokenInput>): Promise<{ id: string; token: string; prefix: string }> {
  assertRole(ctx, 'admin');
  const { name } = CreateScimTokenInput.parse(input);
  const { secret: token, prefix, hash } = newOrgSecret(SCIM_TOKEN_KIND, ctx.tenant.slug);
  const [row] = await tx
    .insert(schema.scimTokens)
    .values({ tenantId: ctx.tenant.id, name, prefix, secretHash: hash, createdBy: ctx.membershipId })
    .returning({ id: schema.scimTokens.id });
  await recordAudit(tx, ctx, { action: 'scim.token.created', targetType: 'scim_token', targetId: row!.id, targetLabel: prefix, after: { name, prefix } });
  return { id: row!.id, token, prefix };
}

export async function listScimTokens(tx: Tx, ctx: MemberContext) {
  assertRole(ctx, 'admin');
  const t = schema.scimTokens;
  return tx
    .select({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt, createdBy: schema.users.name })
    .from(t)
    .leftJoin(schema.memberships, and(eq(schema.memberships.tenantId, t.tenantId), eq(schema.memberships.id, t.createdBy)))
    .leftJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(eq(t.tenantId, ctx.tenant.id))
    // Live tokens first, newest first; revoked ones stay listed for the record.
    .orderBy(sql`${t.revokedAt} is not null`, desc(t.createdAt))
    .limit(100);
}

export const RevokeScimTokenInput = z.object({ tokenId: z.uuid() });

/** Revoke a token: the identity provider's next request with it gets 401. */
export async function revokeScimToken(tx: Tx, ctx: MemberContext, input: z.infer<typeof RevokeScimTokenInput>): Promise<void> {
  assertRole(ctx, 'admin');
  const t = schema.scimTokens;
  const [row] = await tx
    .update(t)
    .set({ revokedAt: new Date() })
    .where(and(eq(t.tenantId, ctx.tenant.id), eq(t.id, input.tokenId), isNull(t.revokedAt)))
    .returning({ id: t.id, prefix: t.prefix, name: t.name });
  if (!row) throw new NotFoundError('scimTokenGone');
  await recordAudit(tx, ctx, { action: 'scim.token.revoked', targetType: 'scim_token', targetId: row.id, targetLabel: row.prefix, before: { name: row.name, prefix: row.prefix } });
}

/** Who a SCIM request acts as: the organisation the token belongs to, and the token (for the audit log). */
export type ScimContext = { tenant: TenantRef; token: ScimTokenRef };

/** The audit actor of a SCIM change. */
export function scimActor(sc: ScimContext) {
  return { tenant: sc.tenant, user: null, actorLabel: `SCIM token ${sc.token.prefix}` };
}
