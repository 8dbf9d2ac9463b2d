import { eq } from 'drizzle-orm';
import { cache } from 'react';
import { z } from 'zod';
import { enterTenant, schema, withGlobal } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { hashPassword, PasswordSchema } from '@/lib/auth/password';
import { existingAccountFor } from '@/lib/auth/sign-in';
import { newToken } from '@/lib/auth/tokens';
import { ConflictError } from '@/lib/errors';
import { emit } from '@/lib/events/outbox';
import { EmailSchema, NameSchema } from '@/lib/schemas';
import { parseHost, rootDomain, SlugSchema } from './host';
import type { TenantRef } from '@/lib/auth/context';


/** Global lookup by subdomain; cached for the length of one request. */
export const findTenantBySlug = cache(async (slug: string): Promise<TenantRef | null> => {
  if (!SlugSchema.safeParse(slug).success) return null;
  const rows = await withGlobal((tx) =>
    tx.select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name }).from(schema.tenants).where(eq(schema.tenants.slug, slug)).limit(1),
  );
  return rows[0] ?? null;
});

/** The organisation a request's Host names, or null (root domain, reserved or unknown names). */
export async function findTenantByHost(host: string | null | undefined): Promise<TenantRef | null> {
  const kind = parseHost(host, rootDomain());
  return kind.kind === 'tenant' ? findTenantBySlug(kind.slug) : null;
}

export type SlugAvailability = { available: true; slug: string } | { available: false; reason: string };

export async function checkSlugAvailability(raw: string): Promise<SlugAvailability> {
  const parsed = SlugSchema.safeParse(raw);
  if (!parsed.success) return { available: false, reason: parsed.error.issues[0]!.message };
  const taken = await withGlobal((tx) => tx.select({ id: schema.tenants.id }).from(schema.tenants).where(eq(schema.tenants.slug, parsed.data)).limit(1));
  return taken.length ? { available: false, reason: new ConflictError('slugTaken').message } : { available: true, slug: parsed.data };
}

export const CreateOrganisationInput = z.object({
  orgName: NameSchema,
  slug: SlugSchema,
  ownerName: NameSchema,
  email: EmailSchema,
  password: PasswordSchema,
});
export type CreateOrganisationInput = z.infer<typeof CreateOrganisationInput>;

export const HANDOFF_TTL_MS = 2 * 60 * 1000;

/**
 * Create an organisation with its owner in one transaction: tenant, settings, user (or the existing
 * account, after its password is checked), owner membership, audit row, event and a one-time hand-off
 * token that signs the owner in on the new subdomain.
 */
export async function createOrganisation(input: CreateOrganisationInput): Promise<{ tenant: TenantRef; handoffToken: string }> {
  const user = await existingAccountFor(input.email, input.password, null, 'accountExistsForOrg');
  const passwordHash = user ? null : await hashPassword(input.password);

  try {
    return await withGlobal(async (tx) => {
      const [tenant] = await tx.insert(schema.tenants).values({ slug: input.slug, name: input.orgName }).returning({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name });
      const owner =
        user ??
        (await tx.insert(schema.users).values({ name: input.ownerName, email: input.email, passwordHash }).returning())[0]!;
      await enterTenant(tx, tenant!.id);
      await tx.insert(schema.tenantSettings).values({ tenantId: tenant!.id, displayName: input.orgName });
      const [membership] = await tx.insert(schema.memberships).values({ tenantId: tenant!.id, userId: owner.id, role: 'owner' }).returning();
      const ctx = { tenant: tenant!, user: { id: owner.id, name: owner.name, email: owner.email } };
      await recordAudit(tx, ctx, { action: 'organisation.created', targetType: 'organisation', targetId: tenant!.id, targetLabel: tenant!.name, after: { name: tenant!.name, slug: tenant!.slug } });
      await emit(tx, tenant!.id, 'lectern/organisation.created.v1', { tenantId: tenant!.id, slug: tenant!.slug, ownerUserId: owner.id });
      const { token, hash } = newToken();
      await tx.insert(schema.authTokens).values({ tenantId: tenant!.id, membershipId: membership!.id, purpose: 'handoff', tokenHash: hash, expiresAt: new Date(Date.now() + HANDOFF_TTL_MS) });
      return { tenant: tenant!, handoffToken: token };
    });
  } catch (e) {
    if (isUniqueViolation(e, 'tenants_slug_key')) throw new ConflictError('slugTaken', { field: 'slug' });
    if (isUniqueViolation(e, 'users_email_key')) throw new ConflictError('emailJustTaken', { field: 'email' });
    throw e;
  }
}

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = (e as { cause?: unknown })?.cause ?? e;
  const pg = err as { code?: string; constraint_name?: string };
  return pg?.code === '23505' && (!constraint || pg.constraint_name === constraint);
}

