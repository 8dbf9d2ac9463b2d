import { sql } from 'drizzle-orm';
import { pgPolicy, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The one row-level-security predicate: a row is visible only inside `withTenant` for its tenant. */
export const currentTenant = sql`tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid`;

/** Policy every tenant-owned table carries (FORCE and grants come from the `force_rls` migration). */
export function tenantIsolation(table: string) {
  return pgPolicy(`${table}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    using: currentTenant,
    withCheck: currentTenant,
  });
}

export const id = () => uuid('id').notNull().defaultRandom();
export const tenantId = () => uuid('tenant_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
