import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courses } from './courses';
import { memberRole, memberships } from './members';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/**
 * REST API keys. The secret is shown once; only its SHA-256 is kept (keys are 190 random bits, so a fast
 * hash is enough). A key acts as the member who made it, with that member's current role, narrowed by its
 * scopes; it goes when that member leaves.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    name: text('name').notNull(),
    /** The visible start of the key (`lk_acme_Ab12Cd34`), shown in lists and logs. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** `<resource>:read` / `<resource>:write`. */
    scopes: text('scopes').array().notNull(),
    membershipId: uuid('membership_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('api_keys_prefix_key').on(t.tenantId, t.prefix),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
    tenantIsolation('api_keys'),
  ],
);

/** A POST's stored response under its Idempotency-Key for 24 hours: a replay gets it back, a different body a 422. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    apiKeyId: uuid('api_key_id').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    responseBody: text('response_body').notNull(),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.apiKeyId, t.key] }),
    index('idempotency_keys_created_idx').on(t.tenantId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.apiKeyId], foreignColumns: [apiKeys.tenantId, apiKeys.id] }).onDelete('cascade'),
    tenantIsolation('idempotency_keys'),
  ],
);

/** Outbound webhook endpoints. The signing secret is encrypted at rest (AES-256-GCM, key derived from AUTH_SECRET). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    eventTypes: text('event_types').array().notNull(),
    secretEncrypted: text('secret_encrypted').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** Since when every delivery has failed; cleared by a success. Days of failure disable the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), tenantIsolation('webhook_endpoints')],
);

/** One event for one endpoint: retried with exponential backoff for at least 24 hours. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    endpointId: uuid('endpoint_id').notNull(),
    /** The Standard Webhooks `webhook-id`: the outbox event's stable id, the same on every retry. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('webhook_deliveries_message_key').on(t.tenantId, t.endpointId, t.messageId),
    index('webhook_deliveries_due_idx').on(t.tenantId, t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.createdAt),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending', 'delivered', 'failed')`),
    foreignKey({ columns: [t.tenantId, t.endpointId], foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id] }).onDelete('cascade'),
    tenantIsolation('webhook_deliveries'),
  ],
);

/** Every attempt of a delivery, for the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    deliveryId: uuid('delivery_id').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('webhook_attempts_delivery_idx').on(t.tenantId, t.deliveryId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.deliveryId], foreignColumns: [webhookDeliveries.tenantId, webhookDeliveries.id] }).onDelete('cascade'),
    tenantIsolation('webhook_attempts'),
  ],
);

/** SCIM bearer tokens, one or more per organisation (shown once, SHA-256 kept). */
export const scimTokens = pgTable(
  'scim_tokens',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: uuid('created_by'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('scim_tokens_prefix_key').on(t.tenantId, t.prefix),
    foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('set null'),
    tenantIsolation('scim_tokens'),
  ],
);

/** SCIM groups: each maps to an organisation role or to enrolment in a course. */
export const scimGroups = pgTable(
  'scim_groups',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    displayName: text('display_name').notNull(),
    externalId: text('external_id'),
    role: memberRole('role'),
    courseId: uuid('course_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('scim_groups_name_key').on(t.tenantId, t.displayName),
    foreignKey({ columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }).onDelete('set null'),
    tenantIsolation('scim_groups'),
  ],
);

export const scimGroupMembers = pgTable(
  'scim_group_members',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    membershipId: uuid('membership_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.membershipId] }),
    index('scim_group_members_member_idx').on(t.tenantId, t.membershipId),
    foreignKey({ columns: [t.tenantId, t.groupId], foreignColumns: [scimGroups.tenantId, scimGroups.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
    tenantIsolation('scim_group_members'),
  ],
);

/** A bulk CSV import of users or enrolments: checked (dry run), then applied in batches with progress. */
export const bulkImports = pgTable(
  'bulk_imports',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    status: text('status').notNull().default('checked'),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** The checked rows (normalised) and per-row problems, so the apply step re-checks nothing it was not shown. */
    rows: jsonb('rows').notNull(),
    errors: jsonb('errors').$type<{ line: number; field: string; message: string }[]>().notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('bulk_imports_recent_idx').on(t.tenantId, t.createdAt),
    check('bulk_imports_kind_check', sql`${t.kind} in ('users', 'enrolments')`),
    check('bulk_imports_status_check', sql`${t.status} in ('checked', 'running', 'done', 'failed')`),
    foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('set null'),
    tenantIsolation('bulk_imports'),
  ],
);
