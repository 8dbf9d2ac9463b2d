import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { env } from '@/lib/env';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export { schema };

export const APP_ROLE = 'lectern_app';

/** How connections name themselves to Postgres: web processes, and `npm run worker` (LECTERN_PROCESS_KIND=worker). */
export const WEB_APPLICATION_NAME = 'lectern';
export const WORKER_APPLICATION_NAME = 'lectern-worker';

/** The runtime connection string: APP_DATABASE_URL, else DATABASE_URL with the app role's credentials. */
export function appDatabaseUrl(e = env()): string {
  if (e.APP_DATABASE_URL) return e.APP_DATABASE_URL;
  const url = new URL(e.DATABASE_URL);
  url.username = APP_ROLE;
  url.password = e.LECTERN_APP_DB_PASSWORD ?? '';
  return url.toString();
}

/**
 * Statements sent to Postgres by this process: all of them, the transactions among them (`begin`), and the
 * queries (what is left without begin/commit/rollback/savepoints and withTenant's role-and-tenant set_config).
 */
export type QueryCounts = { statements: number; transactions: number; queries: number };

type Holder = { db?: Db; client?: postgres.Sql; counts?: QueryCounts };
const holder: Holder = ((globalThis as { __lecternDb?: Holder }).__lecternDb ??= {});

/**
 * Opt-in statement counter for `npm run bench:pages` (queries per page). Off unless LECTERN_QUERY_COUNTER=1;
 * never enable it in production. It rides on postgres.js's `debug` hook, called once per statement sent.
 */
export function queryCounterEnabled(): boolean {
  return process.env.LECTERN_QUERY_COUNTER === '1';
}

/** The running totals, or null when the counter is off. Kept on globalThis: every route bundle shares one pool. */
export function queryCounts(): QueryCounts | null {
  return queryCounterEnabled() ? { ...(holder.counts ??= { statements: 0, transactions: 0, queries: 0 }) } : null;
}

const TX_CONTROL = /^\s*(begin|commit|rollback|savepoint|release savepoint)\b|^select set_config\('role', /i;

function countStatement(_connection: number, query: string): void {
  const counts = (holder.counts ??= { statements: 0, transactions: 0, queries: 0 });
  counts.statements += 1;
  if (/^\s*begin\b/i.test(query)) counts.transactions += 1;
  if (!TX_CONTROL.test(query)) counts.queries += 1;
}

/** The application's pool. It logs in as a role that owns nothing and has no BYPASSRLS. */
export function db(): Db {
  if (!holder.db) {
    holder.client = postgres(appDatabaseUrl(), {
      max: env().DB_POOL_MAX,
      onnotice: () => {},
      connection: { application_name: process.env.LECTERN_PROCESS_KIND === 'worker' ? WORKER_APPLICATION_NAME : WEB_APPLICATION_NAME },
      ...(queryCounterEnabled() ? { debug: countStatement } : {}),
    });
    holder.db = drizzle(holder.client, { schema });
  }
  return holder.db;
}

export async function closeDb(): Promise<void> {
  await holder.client?.end({ timeout: 5 });
  holder.client = undefined;
  holder.db = undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way tenant data is read or written: one transaction, running as the app role, with
 * `app.tenant_id` set (bound, transaction-local), so row-level security filters every statement.
 */
export async function withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().transaction(async (tx) => {
    await enterTenant(tx, tenantId);
    return fn(tx);
  });
}

/**
 * Switch an open transaction to a tenant (used by withTenant, and by sign-up, which creates the tenant
 * row and its first tenant-owned rows in one transaction).
 */
export async function enterTenant(tx: Tx, tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new Error('enterTenant: tenant id must be a UUID');
  await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true)`);
}

/**
 * withTenant for a request that names its organisation by subdomain and carries a session issued on one: a
 * single statement finds the organisation by slug, checks it is the session's, and enters it (role and
 * tenant), so the member's read and the work share one transaction. `found: false` when the slug is unknown
 * or not the session's organisation (nothing ran).
 */
export async function withTenantBySlug<T>(
  slug: string,
  sessionTenantId: string,
  fn: (tx: Tx, tenant: { id: string; slug: string; name: string }) => Promise<T>,
): Promise<{ found: false } | { found: true; value: T }> {
  if (!UUID.test(sessionTenantId)) return { found: false };
  return db().transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; slug: string; name: string }>(sql`
      select set_config('role', ${APP_ROLE}, true) as _role, set_config('app.tenant_id', id::text, true) as _tenant, id, slug, name
      from tenants where slug = ${slug} and id = ${sessionTenantId}`);
    const row = rows[0];
    if (!row) return { found: false };
    return { found: true, value: await fn(tx, { id: row.id, slug: row.slug, name: row.name }) };
  });
}

/**
 * One transaction for a request that names its organisation by slug alone (an API key carries the slug):
 * the lookup sets the role and the tenant in the same statement. `found: false` for an unknown slug.
 */
export async function withTenantSlug<T>(slug: string, fn: (tx: Tx, tenant: { id: string; slug: string; name: string }) => Promise<T>): Promise<{ found: false } | { found: true; value: T }> {
  return db().transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; slug: string; name: string }>(sql`
      select set_config('role', ${APP_ROLE}, true) as _role, set_config('app.tenant_id', id::text, true) as _tenant, id, slug, name
      from tenants where slug = ${slug}`);
    const row = rows[0];
    if (!row) return { found: false };
    return { found: true, value: await fn(tx, { id: row.id, slug: row.slug, name: row.name }) };
  });
}

/** For global tables only (tenants, users, sign-in attempts): no tenant is set, so tenant rows stay invisible. */
export async function withGlobal<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
    return fn(tx);
  });
}

/**
 * How many web-process connections to this database are busy now (running a statement, or holding a
 * transaction open while their request is worked on): a worker in another process gives way while requests
 * queue. Sessions of the same role are visible in pg_stat_activity without extra privileges.
 */
export async function webRequestsInFlight(): Promise<number> {
  const [row] = await db().execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and application_name = ${WEB_APPLICATION_NAME} and state in ('active', 'idle in transaction')`);
  return row?.n ?? 0;
}

/** Readiness: a round trip to the database. */
export async function pingDb(): Promise<void> {
  await db().execute(sql`select 1`);
}
