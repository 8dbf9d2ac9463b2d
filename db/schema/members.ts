import { foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { tenants } from './tenancy';
import { createdAt, id, tenantId, tenantIsolation } from './tenant-table';

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'instructor', 'learner']);

export const memberships = pgTable(
  'memberships',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    createdAt: createdAt(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    /** Bumped by a trigger on every update (integrators sync with `updated_since`). */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The integrator's own id for this person (student-information or HR system), unique per organisation. */
    sisId: text('sis_id'),
    /** SCIM `externalId`: the identity provider's id for this person. */
    scimExternalId: text('scim_external_id'),
    /** Deactivated by provisioning (SCIM `active: false`): cannot sign in, holds no seat, keeps its history. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('memberships_user_key').on(t.tenantId, t.userId),
    index('memberships_role_idx').on(t.tenantId, t.role),
    uniqueIndex('memberships_sis_key').on(t.tenantId, t.sisId),
    index('memberships_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    tenantIsolation('memberships'),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    email: text('email').notNull(),
    role: memberRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'), // null once the inviting member has left; the invitation stays valid
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('invitations_token_key').on(t.tenantId, t.tokenHash),
    index('invitations_email_idx').on(t.tenantId, t.email),
    foreignKey({ columns: [t.tenantId, t.invitedBy], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('set null'),
    tenantIsolation('invitations'),
  ],
);

/** Single-use, short-lived tokens: password resets and the root-domain → subdomain sign-in hand-off. */
export const authTokenPurpose = pgEnum('auth_token_purpose', ['password_reset', 'handoff']);

export const authTokens = pgTable(
  'auth_tokens',
  {
    tenantId: tenantId().references(() => tenants.id, { onDelete: 'cascade' }),
    id: id(),
    membershipId: uuid('membership_id').notNull(),
    purpose: authTokenPurpose('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('auth_tokens_hash_key').on(t.tenantId, t.tokenHash),
    foreignKey({ columns: [t.tenantId, t.membershipId], foreignColumns: [memberships.tenantId, memberships.id] }).onDelete('cascade'),
    tenantIsolation('auth_tokens'),
  ],
);
