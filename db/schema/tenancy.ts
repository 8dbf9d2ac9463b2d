
import { boolean, customType, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Global: one row per organisation. The slug is its subdomain. */
export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** The Stripe customer that pays for this organisation; Stripe webhooks find the organisation by it. */
    stripeCustomerId: text('stripe_customer_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tenants_slug_key').on(t.slug), uniqueIndex('tenants_stripe_customer_key').on(t.stripeCustomerId)],
);

/** Tenant-owned settings, one row per tenant: branding and sign-up policy. */
export const tenantSettings = pgTable(
  'tenant_settings',
  {
    tenantId: tenantId().primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    primaryColor: text('primary_color').notNull().default('#4f46e5'),
    accentColor: text('accent_color').notNull().default('#0f766e'),
    logoAssetId: uuid('logo_asset_id'),
    allowSelfSignup: boolean('allow_self_signup').notNull().default(false),
    /** Sells priced courses to the public through Stripe Checkout (needs a plan that allows it). */
    sellsCourses: boolean('sells_courses').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.logoAssetId], foreignColumns: [brandAssets.tenantId, brandAssets.id] }),
    tenantIsolation('tenant_settings'),
  ],
);

/** Uploaded branding files (logos), kept small (≤ 1 MB) and content-addressed by sha256. */
export const brandAssets = pgTable(
  'brand_assets',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    data: bytea('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('brand_assets_sha256_key').on(t.tenantId, t.sha256),
    tenantIsolation('brand_assets'),
  ],
);

