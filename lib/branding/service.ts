import { and, eq } from 'drizzle-orm';
import { cache } from 'react';
import { z } from 'zod';
import { v } from '@/lib/i18n/validation';
import { schema, withTenant, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { NotFoundError } from '@/lib/errors';
import { NameSchema } from '@/lib/schemas';
import { HexColor, textOn } from './colors';
import { checkLogo } from './logo';

export type Branding = {
  displayName: string;
  primaryColor: string;
  accentColor: string;
  onPrimary: string;
  onAccent: string;
  logoUrl: string | null;
  allowSelfSignup: boolean;
};

export const DEFAULT_BRANDING = { primaryColor: '#4f46e5', accentColor: '#0f766e' };

/** Cached per request: the layout, the page and its metadata all ask for it. */
export const getBranding = cache(async (tenant: { id: string; name: string }): Promise<Branding> => {
  const row = await withTenant(tenant.id, async (tx) => {
    const [s] = await tx.select().from(schema.tenantSettings).where(eq(schema.tenantSettings.tenantId, tenant.id)).limit(1);
    return s;
  });
  const primaryColor = row?.primaryColor ?? DEFAULT_BRANDING.primaryColor;
  const accentColor = row?.accentColor ?? DEFAULT_BRANDING.accentColor;
  return {
    displayName: row?.displayName ?? tenant.name,
    primaryColor,
    accentColor,
    onPrimary: textOn(primaryColor),
    onAccent: textOn(accentColor),
    logoUrl: row?.logoAssetId ? `/brand/logo/${row.logoAssetId}` : null,
    allowSelfSignup: row?.allowSelfSignup ?? false,
  };
});

export const BrandingInput = z.object({
  displayName: NameSchema,
  primaryColor: HexColor,
  accentColor: HexColor,
  allowSelfSignup: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
});

async function lockSettings(tx: Tx, tenantId: string) {
  const [row] = await tx.select().from(schema.tenantSettings).where(eq(schema.tenantSettings.tenantId, tenantId)).for('update');
  if (!row) throw new NotFoundError('settingsMissing');
  return row;
}

export async function updateBranding(tx: Tx, ctx: MemberContext, input: z.infer<typeof BrandingInput>) {
  assertRole(ctx, 'admin');
  const before = await lockSettings(tx, ctx.tenant.id);
  const pick = (r: typeof before | typeof input) => ({ displayName: r.displayName, primaryColor: r.primaryColor, accentColor: r.accentColor, allowSelfSignup: r.allowSelfSignup });
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  const b = pick(before);
  const a = pick(input);
  for (const key of Object.keys(a) as (keyof typeof a)[]) {
    if (a[key] !== b[key]) {
      changedBefore[key] = b[key];
      changedAfter[key] = a[key];
    }
  }
  if (Object.keys(changedAfter).length === 0) return;
  await tx.update(schema.tenantSettings).set({ ...a, updatedAt: new Date() }).where(eq(schema.tenantSettings.tenantId, ctx.tenant.id));
  await recordAudit(tx, ctx, { action: 'branding.updated', targetType: 'organisation', targetId: ctx.tenant.id, targetLabel: ctx.tenant.name, before: changedBefore, after: changedAfter });
}

export const LogoInput = z.object({
  logo: z.instanceof(File, { message: v('logoMissing') }),
});

export async function setLogo(tx: Tx, ctx: MemberContext, input: z.infer<typeof LogoInput>) {
  assertRole(ctx, 'admin');
  const logo = await checkLogo(Buffer.from(await input.logo.arrayBuffer()));
  const before = await lockSettings(tx, ctx.tenant.id);
  const [asset] = await tx
    .insert(schema.brandAssets)
    .values({ tenantId: ctx.tenant.id, sha256: logo.sha256, contentType: logo.contentType, data: logo.data })
    .onConflictDoUpdate({ target: [schema.brandAssets.tenantId, schema.brandAssets.sha256], set: { sha256: logo.sha256 } })
    .returning({ id: schema.brandAssets.id });
  await tx.update(schema.tenantSettings).set({ logoAssetId: asset!.id, updatedAt: new Date() }).where(eq(schema.tenantSettings.tenantId, ctx.tenant.id));
  await recordAudit(tx, ctx, {
    action: 'branding.logo_changed',
    targetType: 'organisation',
    targetId: ctx.tenant.id,
    targetLabel: ctx.tenant.name,
    before: { logoAssetId: before.logoAssetId },
    after: { logoAssetId: asset!.id, contentType: logo.contentType, bytes: logo.data.length },
  });
}

export async function removeLogo(tx: Tx, ctx: MemberContext) {
  assertRole(ctx, 'admin');
  const before = await lockSettings(tx, ctx.tenant.id);
  if (!before.logoAssetId) return;
  await tx.update(schema.tenantSettings).set({ logoAssetId: null, updatedAt: new Date() }).where(eq(schema.tenantSettings.tenantId, ctx.tenant.id));
  await recordAudit(tx, ctx, { action: 'branding.logo_removed', targetType: 'organisation', targetId: ctx.tenant.id, targetLabel: ctx.tenant.name, before: { logoAssetId: before.logoAssetId }, after: { logoAssetId: null } });
}

/** Logos are public (they appear on the sign-in page); assets are immutable, so they cache forever. */
export async function getLogoAsset(tenantId: string, assetId: string) {
  if (!z.uuid().safeParse(assetId).success) return null;
  return withTenant(tenantId, async (tx) => {
    const [a] = await tx
      .select({ contentType: schema.brandAssets.contentType, data: schema.brandAssets.data, sha256: schema.brandAssets.sha256 })
      .from(schema.brandAssets)
      .where(and(eq(schema.brandAssets.tenantId, tenantId), eq(schema.brandAssets.id, assetId)));
    return a ?? null;
  });
}
