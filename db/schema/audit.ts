import { index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

/** Append-only record of admin changes: who, what, when, before → after. */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    targetLabel: text('target_label'),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_created_idx').on(t.tenantId, t.createdAt.desc()),
    tenantIsolation('audit_log'),
  ],
);
