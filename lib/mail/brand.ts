import { eq } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import { DEFAULT_BRANDING } from '@/lib/branding/service';
import { textOn } from '@/lib/branding/colors';
import { tenantOrigin } from '@/lib/tenancy/urls';

/** What a mail shows of its organisation: name, colour, logo (an absolute URL) and the site's address. */
export type MailBrand = { name: string; color: string; onColor: string; logoUrl: string | null; origin: string };

const HEX = /^#[0-9a-f]{6}$/i;

/** The organisation's branding for mail, read in the caller's tenant transaction (one query). */
export async function loadMailBrand(tx: Tx, tenantId: string): Promise<MailBrand> {
  const [row] = await tx
    .select({ slug: schema.tenants.slug, name: schema.tenants.name, displayName: schema.tenantSettings.displayName, color: schema.tenantSettings.primaryColor, logo: schema.tenantSettings.logoAssetId })
    .from(schema.tenants)
    .leftJoin(schema.tenantSettings, eq(schema.tenantSettings.tenantId, schema.tenants.id))
    .where(eq(schema.tenants.id, tenantId))
    .limit(1);
  if (!row) throw new Error(`loadMailBrand: organisation ${tenantId} not found`);
  // Stored colours were validated on write; check again, since they land in a style attribute.
  const color = row.color && HEX.test(row.color) ? row.color : DEFAULT_BRANDING.primaryColor;
  const origin = tenantOrigin(row.slug);
  return { name: row.displayName ?? row.name, color, onColor: textOn(color), logoUrl: row.logo ? `${origin}/brand/logo/${row.logo}` : null, origin };
}
