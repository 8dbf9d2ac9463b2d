import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext, type TenantRef } from '@/lib/auth/context';
import { API_KEY_KIND, matchesHash, newOrgSecret, parseOrgSecret } from '@/lib/auth/tokens';
import { NotFoundError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';

/** The resources an API key can be scoped to; each has a read and (where the API writes) a write scope. */
export const API_RESOURCES = ['members', 'courses', 'enrolments', 'progress', 'grades', 'attempts', 'certificates'] as const;
export type ApiResource = (typeof API_RESOURCES)[number];
export const WRITABLE_RESOURCES: readonly ApiResource[] = ['members', 'courses', 'enrolments'];
export const API_SCOPES = API_RESOURCES.flatMap((r) => (WRITABLE_RESOURCES.includes(r) ? [`${r}:read`, `${r}:write`] : [`${r}:read`]));
export type ApiScope = `${ApiResource}:${'read' | 'write'}`;

/** `lk_<org>_<40 hex>`: the organisation's slug finds the tenant, the rest is 160 random bits. */
export const parseApiKey = (raw: string) => parseOrgSecret(API_KEY_KIND, raw);

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, v('apiKeyName')).max(80, v('apiKeyName')),
  scopes: z.array(z.enum(API_SCOPES as [string, ...string[]])).min(1, v('apiKeyScopes')),
  expiresInDays: z.coerce.number().int().min(0).max(730), // 0 = never
});

/** Org admins make keys; the key acts as its maker (with their role at each request), narrowed by its scopes. */
export async function createApiKey(tx: Tx, ctx: MemberContext, raw: z.input<typeof CreateApiKeyInput>): Promise<{ id: string; key: string; prefix: string }> {
  assertRole(ctx, 'admin');
  const input = CreateApiKeyInput.parse(raw);
  const { secret: key, prefix, hash } = newOrgSecret(API_KEY_KIND, ctx.tenant.slug);
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 60 * 60 * 1000) : null;
  const [row] = await tx
    .insert(schema.apiKeys)
    .values({ tenantId: ctx.tenant.id, name: input.name, prefix, secretHash: hash, scopes: [...new Set(input.scopes)].sort(), membershipId: ctx.membershipId, expiresAt })
    .returning({ id: schema.apiKeys.id });
  await recordAudit(tx, ctx, { action: 'api_key.created', targetType: 'api_key', targetId: row!.id, targetLabel: `${input.name} (${prefix}…)`, after: { scopes: input.scopes, expiresAt } });
  return { id: row!.id, key, prefix };
}

export async function listApiKeys(tx: Tx, ctx: MemberContext) {
  assertRole(ctx, 'admin');
  return tx
    .select({
      id: schema.apiKeys.id,
      name: schema.apiKeys.name,
      prefix: schema.apiKeys.prefix,
      scopes: schema.apiKeys.scopes,
      expiresAt: schema.apiKeys.expiresAt,
      lastUsedAt: schema.apiKeys.lastUsedAt,
      revokedAt: schema.apiKeys.revokedAt,
      createdAt: schema.apiKeys.createdAt,
      owner: schema.users.name,
    })
    .from(schema.apiKeys)
    .innerJoin(schema.memberships, and(eq(schema.memberships.tenantId, schema.apiKeys.tenantId), eq(schema.memberships.id, schema.apiKeys.membershipId)))
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .orderBy(sql`${schema.apiKeys.revokedAt} is not null`, desc(schema.apiKeys.createdAt));
}

export async function revokeApiKey(tx: Tx, ctx: MemberContext, keyId: string): Promise<void> {
  assertRole(ctx, 'admin');
  const [row] = await tx
    .update(schema.apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.apiKeys.id, keyId), isNull(schema.apiKeys.revokedAt)))
    .returning({ name: schema.apiKeys.name, prefix: schema.apiKeys.prefix });
  if (!row) throw new NotFoundError('apiKeyNotFound');
  await recordAudit(tx, ctx, { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, targetLabel: `${row.name} (${row.prefix}…)` });
}

export type ApiKeyAuth =
  | { ok: true; ctx: MemberContext; key: { id: string; prefix: string; scopes: readonly string[] } }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/**
 * The key's member context, inside the organisation's transaction: the key must match (constant-time),
 * be neither revoked nor expired, and its member still belong here. last_used_at is written at most once a minute.
 */
export async function authenticateApiKey(tx: Tx, tenant: TenantRef, raw: string, now = new Date()): Promise<ApiKeyAuth> {
  const parsed = parseApiKey(raw);
  if (!parsed || parsed.slug !== tenant.slug) return { ok: false, reason: 'unknown' };
  const [row] = await tx
    .select({
      id: schema.apiKeys.id,
      prefix: schema.apiKeys.prefix,
      secretHash: schema.apiKeys.secretHash,
      scopes: schema.apiKeys.scopes,
      expiresAt: schema.apiKeys.expiresAt,
      revokedAt: schema.apiKeys.revokedAt,
      lastUsedAt: schema.apiKeys.lastUsedAt,
      membershipId: schema.memberships.id,
      role: schema.memberships.role,
      deactivatedAt: schema.memberships.deactivatedAt,
      userId: schema.users.id,
      email: schema.users.email,
      name: schema.users.name,
    })
    .from(schema.apiKeys)
    .innerJoin(schema.memberships, and(eq(schema.memberships.tenantId, schema.apiKeys.tenantId), eq(schema.memberships.id, schema.apiKeys.membershipId)))
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(eq(schema.apiKeys.prefix, parsed.prefix));
  if (!row || !matchesHash(raw, row.secretHash)) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (row.deactivatedAt) return { ok: false, reason: 'revoked' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await tx.update(schema.apiKeys).set({ lastUsedAt: now }).where(eq(schema.apiKeys.id, row.id));
  }
  return {
    ok: true,
    ctx: { tenant, user: { id: row.userId, email: row.email, name: row.name }, membershipId: row.membershipId, role: row.role },
    key: { id: row.id, prefix: row.prefix, scopes: row.scopes },
  };
}
