/**
 * `npm run bench:api [-- options]`: listing enrolments at 1,000,000 rows through `/api/v1/enrolments`, beside a
 * bare `node:http` + postgres.js server sending the very same SQL, on the same machine in the same run.
 *
 *   1. DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lectern_bench): created if missing, migrated,
 *      demo organisations seeded if it has none, the large organisation `big` (1,000,000 enrolments) seeded
 *      if missing (several minutes), its enrolment count printed.
 *   2. A fresh API key (scope enrolments:read, one day) for big's owner; earlier keys of this bench are revoked.
 *   3. The SQL: one request is run in this process through the real apiHandler(listEnrolments) with a
 *      statement hook on the app's postgres.js pool, for page 1 and for a cursor, so the bare server sends
 *      what the endpoint sends (tenant statement and list query, same text, same parameters, unnamed
 *      statements as Drizzle sends them) — minus the API key lookup.
 *   4. Cursors: --cursors (200) keyset positions spread evenly over every page of the 1M rows, read from the
 *      database (walking 20,000 pages through the API would take longer than the benchmark); checked against
 *      the API by walking its first pages, and each server's answer for page 1 and three cursors is compared.
 *   5. `next start` on --port (3350; built first if stale, `--no-build` skips it) with rate limits of 1,000,000
 *      a minute and LECTERN_WORKER=0; the bare server in a child process on --bare-port (3351), same pool size.
 *   6. EXPLAIN (ANALYZE, BUFFERS) of the list query at page 1 and at 10 %, 50 % and 95 % of the rows (and of the
 *      row-keyset what-if), and one request at a time through the API at depths from page 1 to the last page.
 *   7. Load, one server at a time, autocannon --connections (50) for --duration (10) s after --warmup (3) s,
 *      waiting for the database to go quiet between runs: "page 1" (no cursor) and "spread" (rotating through
 *      the cursors). Besides the API and the bare server ("bare"), two what-ifs on the bare server: named
 *      prepared statements ("bare, prepared"), and the keyset written as a row comparison ("bare, row keyset").
 *   8. Prints a table (req/s, p50/p95/p99 from every 2xx latency — autocannon itself has no p95 —, non-2xx and
 *      errors, CPU ms per request of the server and of its Postgres backends) and the ratios API / bare;
 *      `--json <file>` writes everything. Exits 1 on any non-2xx, error, or answer that differs.
 *
 * Options: --port --bare-port --connections --duration --warmup --cursors --only page-1|spread --no-variants
 * --no-build --json <file> --cpu-prof <dir> (a V8 CPU profile of `next start`, written when it stops).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { and, eq, isNull, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { DEFAULT_PAGE_SIZE, encodeCursor } from '@/lib/api/pagination';
import { buildIfStale, NEXT_BIN } from './build';
import { argValue, hasFlag, intArg, portFree, prepareToolEnv } from './local-env';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lectern_bench';
const ORG = 'big';
const KEY_NAME = 'npm run bench:api';
const BARE_APP_NAME = 'lectern-bench-bare';
const LIST_PATH = '/api/v1/enrolments';
/** The Enrolment fields in the order the endpoint selects them (lib/api/v1/enrolments.ts `columns`); the last column is the cursor text. */
const FIELDS = ['id', 'course_id', 'member_id', 'user_id', 'role', 'status', 'sis_id', 'enrolled_at', 'completed_at', 'last_activity_at', 'created_at', 'updated_at'] as const;

// ------------------------------------------------------------------------------------ the bare server

const TIMESTAMP_FIELDS = new Set<string>(['enrolled_at', 'completed_at', 'last_activity_at', 'created_at', 'updated_at']);

/**
 * postgres.js as Drizzle sets it up (drizzle-orm/postgres-js/driver.js): date and time values pass as text both
 * ways. Without it a cursor's `updated_at` text bound to `$k::timestamptz` goes through `new Date()` and loses
 * its microseconds, and the page starts somewhere else.
 */
function likeDrizzle<T extends postgres.Sql>(client: T): T {
  const transparent = (v: unknown) => v;
  const options = client.options as unknown as { parsers: Record<string, unknown>; serializers: Record<string, unknown> };
  for (const type of ['1184', '1082', '1083', '1114', '1182', '1185', '1115', '1231']) {
    options.parsers[type] = transparent;
    options.serializers[type] = transparent;
  }
  options.serializers['114'] = transparent;
  options.serializers['3802'] = transparent;
  return client;
}

/** A parameter of a captured statement: a literal, or what the request supplies. */
type Param = string | number | boolean | null | { $: 'tenant' | 'k' | 'i' };
type Statement = { sql: string; params: Param[] };
type BareConfig = { port: number; url: string; poolMax: number; tenant: Statement; first: Statement; after: Statement; rowKeyset: Statement | null; limit: number };
type Variant = 'same' | 'prepared' | 'row-keyset';

/**
 * What the endpoint does in SQL, without Next.js, zod, the API key, rate limits or ETags: one transaction
 * (begin; the organisation lookup that sets role and tenant; the list query; commit), rows as JSON with the
 * same fields and cursor. The `x-bench-variant` header picks a what-if (prepared statements, row keyset).
 */
function serveBare(cfg: BareConfig): void {
  const db = likeDrizzle(postgres(cfg.url, { max: cfg.poolMax, onnotice: () => {}, connection: { application_name: BARE_APP_NAME } }));
  const bind = (params: Param[], tenantId: string, pos: { k: string; i: string } | null) =>
    params.map((p) => (p !== null && typeof p === 'object' ? (p.$ === 'tenant' ? tenantId : pos![p.$]) : p));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bare');
    if (url.pathname === '/health') return void res.end('ok');
    if (url.pathname !== LIST_PATH) {
      res.writeHead(404).end();
      return;
    }
    const variant = (req.headers['x-bench-variant'] ?? 'same') as Variant;
    const prepare = variant === 'prepared';
    const cursor = url.searchParams.get('cursor');
    void (async () => {
      // The position only: the API also checks the cursor's signature (when it signs them) and its shape.
      const pos = cursor ? (JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')) as { k: string; i: string }) : null;
      const list = !pos ? cfg.first : variant === 'row-keyset' && cfg.rowKeyset ? cfg.rowKeyset : cfg.after;
      const rows = await db.begin(async (tx) => {
        const [tenant] = await tx.unsafe(cfg.tenant.sql, bind(cfg.tenant.params, '', null) as postgres.ParameterOrJSON<never>[], { prepare });
        if (!tenant) throw new Error('organisation not found');
        return tx.unsafe(list.sql, bind(list.params, tenant.id as string, pos) as postgres.ParameterOrJSON<never>[], { prepare }).values();
      });
      const size = cfg.limit - 1;
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      const next = rows.length > size && last ? encodeCursor({ k: last[FIELDS.length] as string, i: last[0] as string }) : null;
      const data = page.map((r) => Object.fromEntries(FIELDS.map((f, n) => [f, TIMESTAMP_FIELDS.has(f) && r[n] !== null ? new Date(r[n] as string).toISOString() : r[n]])));
      const body = JSON.stringify({ data, next_cursor: next });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    })().catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(e instanceof Error ? e.message : String(e));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(cfg.port, '127.0.0.1');
  const stop = () => server.close(() => void db.end({ timeout: 5 }).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

// ------------------------------------------------------------------------------------------ the bench

async function runBench(): Promise<void> {
  const code = await main().catch(async (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    return 1;
  });
  process.exit(code);
}

const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const port = intArg('port', 3350);
const barePort = intArg('bare-port', 3351);
const duration = intArg('duration', 10);
const warmup = intArg('warmup', 3, 0);
const connections = intArg('connections', 50);
const cursorCount = intArg('cursors', 200, 2);
const only = argValue('only');
const variants = !hasFlag('no-variants');
const root = `localhost:${port}`;
const apiHost = `${ORG}.${root}`;

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

function request(p: number, urlPath: string, headers: Record<string, string>): Promise<Res> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port: p, path: urlPath, method: 'GET', headers: { 'user-agent': 'lectern-bench-api', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - t0 }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: GET ${urlPath}`)));
    req.on('error', reject);
    req.end();
  });
}

const listPath = (cursor: string | null) => (cursor ? `${LIST_PATH}?cursor=${cursor}` : LIST_PATH);

// ------------------------------------------------------------------------------------------- load

type Load = { reqPerSec: number; p50: number; p95: number; p99: number; ok: number; non2xx: number; errors: number; statuses: Record<string, number>; serverCpuMsPerReq: number | null; pgCpuMsPerReq: number | null; loadavg: number[] };
type AutocannonResult = { requests: { average: number }; errors: number; timeouts: number; non2xx: number; statusCodeStats: Record<string, { count: number }> };
type AutocannonInstance = { on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void };
type AutocannonRequest = { method: string; path: string; setupRequest?: (req: AutocannonRequest) => AutocannonRequest };
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** autocannon reports p50/p97.5/p99 but no p95: percentiles here come from every 2xx response's latency. */
function cannon(p: number, paths: string[], headers: Record<string, string>, seconds: number): Promise<Omit<Load, 'serverCpuMsPerReq' | 'pgCpuMsPerReq' | 'loadavg'>> {
  let n = 0;
  const nextPath = () => paths[n++ % paths.length]!;
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const requests: AutocannonRequest[] = [{ method: 'GET', path: paths[0]!, setupRequest: (req) => ({ ...req, path: nextPath() }) }];
    const instance = autocannon({ url: `http://127.0.0.1:${p}`, connections, duration: seconds, headers, requests, timeout: Math.max(60, duration * 3) }, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      resolve({
        reqPerSec: result.requests.average,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        ok: latencies.length,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

// ------------------------------------------------------------------------------------ CPU accounting

/** CPU seconds (user + system) of a process and its descendants, from /proc. */
function treeCpuSeconds(rootPid: number): number {
  if (!existsSync('/proc')) return 0;
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(Number(d));
    if (s) stats.set(Number(d), s);
  }
  let total = 0;
  const walk = (pid: number) => {
    const s = stats.get(pid);
    if (!s) return;
    total += s.cpu;
    for (const [child, c] of stats) if (c.ppid === pid) walk(child);
  };
  walk(rootPid);
  return total;
}

function procStat(pid: number): { ppid: number; cpu: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 }; // USER_HZ = 100
  } catch {
    return null;
  }
}

// ----------------------------------------------------------------------------------------- helpers

async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    if (!(await admin`select 1 from pg_database where datname = ${name}`).length) {
      await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`Created database ${name}.`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function waitFor(child: ChildProcess, what: string, p: number, urlPath: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await request(p, urlPath, { host: `localhost:${p}` })).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not answer ${urlPath} within 90 s; see ${logFile}`);
}

const stopChild = async (child: ChildProcess | null) => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
};

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** Turn the captured parameters into a template: the organisation id and the cursor's parts come from each request. */
function template(params: unknown[], known: { tenant: string; k?: string; i?: string }): Param[] {
  return params.map((p) => {
    if (p === known.tenant) return { $: 'tenant' };
    if (known.k !== undefined && p === known.k) return { $: 'k' };
    if (known.i !== undefined && p === known.i) return { $: 'i' };
    if (p === null || ['string', 'number', 'boolean'].includes(typeof p)) return p as Param;
    throw new Error(`unexpected parameter in the captured SQL: ${JSON.stringify(p)}`);
  });
}

/**
 * The keyset written as a row comparison, `(updated_at, id) > ($k, $i)`, in place of Drizzle's
 * `updated_at > $k or (updated_at = $k and id > $i)`: the what-if the table compares against. Null when the
 * endpoint no longer sends the OR form.
 */
function rowKeysetOf(after: Statement): Statement | null {
  const or = /\("enrolments"\."updated_at" > \$(\d+)::timestamptz or \("enrolments"\."updated_at" = \$(\d+)::timestamptz and "enrolments"\."id" > \$(\d+)\)\)/;
  const m = or.exec(after.sql);
  if (!m) return null;
  const [k1, k2, i] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const text = after.sql.replace(or, () => `("enrolments"."updated_at", "enrolments"."id") > ($${k1}::timestamptz, $${i})`).replace(/\$(\d+)/g, (_, d: string) => `$${Number(d) > k2 ? Number(d) - 1 : Number(d)}`);
  return { sql: text, params: after.params.filter((_, n) => n !== k2 - 1) };
}

// -------------------------------------------------------------------------------------------- main

type Scenario = 'page 1' | 'spread';
type ServerId = 'api' | 'bare' | 'bare, prepared' | 'bare, row keyset';
type Run = { scenario: Scenario; server: ServerId; load: Load };

async function main(): Promise<number> {
  process.env.PORT = String(port);
  process.env.LECTERN_ROOT_DOMAIN = root;
  process.env.API_RATE_LIMIT_PER_KEY = '1000000';
  process.env.API_RATE_LIMIT_PER_IP = '1000000';
  await ensureDatabase(databaseUrl);
  const env = await prepareToolEnv(databaseUrl, { embedded: false });
  // After prepareToolEnv: these modules read the environment it sets.
  const { appDatabaseUrl, closeDb, db, schema, withTenant } = await import('@/db/client');
  const { runMigrations } = await import('@/db/migrate');
  const { seedDemo } = await import('@/lib/demo');
  const { BIG_ORG, findOrganisation, organisationRowCounts, seedLargeOrganisation } = await import('@/db/seed-large');
  const { createApiKey, revokeApiKey } = await import('@/lib/api/keys');
  const { apiHandler } = await import('@/lib/api/handler');
  const { ENDPOINTS } = await import('@/lib/api/v1');
  const { logger } = await import('@/lib/log');

  await runMigrations(databaseUrl, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
  await seedDemo((line) => console.log(line));
  let org = await findOrganisation(ORG);
  if (!org) {
    console.log(`Organisation "${ORG}" is missing: seeding 100,000 learners and 1,000,000 enrolments (several minutes; \`npm run seed:large\` does the same)…`);
    await seedLargeOrganisation(BIG_ORG, databaseUrl, console.log);
    org = await findOrganisation(ORG);
    if (!org) throw new Error('the large seed did not create organisation big');
  }
  const counts = await organisationRowCounts(org.id, ORG);
  const enrolments = counts.enrolments ?? 0;
  console.log(`${ORG}: ${enrolments.toLocaleString('en')} enrolments (${(counts['enrolments (learner)'] ?? 0).toLocaleString('en')} learner), ${(counts.memberships ?? 0).toLocaleString('en')} memberships`);
  if (enrolments < 900_000) console.warn(`  fewer than 900,000 enrolments: this is not the 1M-row benchmark (reset with \`npm run seed:large -- --reset\`).`);

  // ------------------------------------------------------------------ API key and member context
  const tenant = org;
  const key = await withTenant(tenant.id, async (tx) => {
    const [owner] = await tx
      .select({ membershipId: schema.memberships.id, userId: schema.users.id, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(eq(schema.memberships.role, 'owner'))
      .limit(1);
    if (!owner) throw new Error(`organisation ${ORG} has no owner`);
    const ctx = { tenant, user: { id: owner.userId, email: owner.email, name: owner.name }, membershipId: owner.membershipId, role: 'owner' as const };
    const old = await tx.select({ id: schema.apiKeys.id }).from(schema.apiKeys).where(and(eq(schema.apiKeys.name, KEY_NAME), isNull(schema.apiKeys.revokedAt)));
    for (const k of old) await revokeApiKey(tx, ctx, k.id);
    return createApiKey(tx, ctx, { name: KEY_NAME, scopes: ['enrolments:read'], expiresInDays: 1 });
  });
  console.log(`API key ${key.prefix}… for owner of ${ORG} (enrolments:read, expires in a day)`);
  const auth = { authorization: `Bearer ${key.key}` };

  // ------------------------------------------------------------------ cursors
  const size = DEFAULT_PAGE_SIZE;
  const pages = Math.ceil(enrolments / size);
  // Page p (0-based) starts after row size·p: its cursor is the position of that row, as the API would issue it.
  const spreadPages = [...new Set(Array.from({ length: cursorCount }, (_, j) => 1 + Math.floor((j * (pages - 2)) / (cursorCount - 1))))];
  const wantedRows = [...new Set([...spreadPages.map((p) => p * size), size, 2 * size])];
  const t0 = performance.now();
  const positions = await withTenant(tenant.id, (tx) =>
    tx.execute<{ rn: number; k: string; i: string }>(sql`
      select rn::int, k, i from (select row_number() over (order by updated_at, id) as rn, updated_at::text as k, id::text as i from enrolments) s
      where rn in (${sql.join(wantedRows.map((r) => sql`${r}`), sql`, `)})`),
  );
  const cursorAtRow = new Map(positions.map((r) => [r.rn, encodeCursor({ k: r.k, i: r.i })]));
  const spread = spreadPages.map((p) => cursorAtRow.get(p * size)!).filter(Boolean);
  console.log(`${spread.length} cursors from page 2 to page ${pages.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // ------------------------------------------------------------------ the endpoint's SQL, captured
  type Captured = { status: number; body: string; statements: { sql: string; params: unknown[] }[] };
  const holder = (globalThis as { __lecternDb?: { client?: postgres.Sql } }).__lecternDb;
  db();
  const pool = holder?.client;
  if (!pool) throw new Error('could not reach the app pool (globalThis.__lecternDb) to capture the SQL');
  const listHandler = apiHandler(ENDPOINTS.listEnrolments);
  /** One request through the real handler, in this process, with every statement it sends recorded. */
  const capture = async (cursor: string | null): Promise<Captured> => {
    const statements: Captured['statements'] = [];
    const options = pool.options as { debug: unknown };
    options.debug = (_conn: number, text: string, params: unknown[]) => statements.push({ sql: text, params: [...params] });
    const level = logger.level;
    logger.level = 'warn';
    try {
      const res = await listHandler(new Request(`http://${apiHost}${listPath(cursor)}`, { headers: auth }), { params: Promise.resolve({}) });
      return { status: res.status, body: await res.text(), statements };
    } finally {
      options.debug = false;
      logger.level = level;
    }
  };
  await capture(null); // the first use of a key also writes last_used_at: capture the steady state after it
  const cap1 = await capture(null);
  const midPos = positions.find((r) => r.rn === spreadPages[Math.floor(spreadPages.length / 2)]! * size)!;
  const capN = await capture(encodeCursor({ k: midPos.k, i: midPos.i }));
  if (cap1.status !== 200 || capN.status !== 200) throw new Error(`the in-process API request answered ${cap1.status} / ${capN.status}: ${cap1.body.slice(0, 300)}`);
  const findStmt = (c: Captured, test: RegExp, what: string) => {
    const s = c.statements.find((x) => test.test(x.sql));
    if (!s) throw new Error(`no ${what} statement among the captured ones:\n${c.statements.map((x) => x.sql).join('\n')}`);
    return s;
  };
  const tenantStmt = findStmt(cap1, /set_config\('app\.tenant_id'/, 'tenant');
  const firstStmt = findStmt(cap1, /from "enrolments"/, 'list');
  const afterStmt = findStmt(capN, /from "enrolments"/, 'list');
  const limitParam = firstStmt.params[firstStmt.params.length - 1];
  if (limitParam !== size + 1) throw new Error(`expected LIMIT ${size + 1} as the list query's last parameter, got ${String(limitParam)}`);
  const bare: BareConfig = {
    port: barePort,
    url: appDatabaseUrl(),
    poolMax: env.DB_POOL_MAX,
    tenant: { sql: tenantStmt.sql, params: template(tenantStmt.params, { tenant: tenant.id }) },
    first: { sql: firstStmt.sql, params: template(firstStmt.params, { tenant: tenant.id }) },
    after: { sql: afterStmt.sql, params: template(afterStmt.params, { tenant: tenant.id, k: midPos.k, i: midPos.i }) },
    rowKeyset: null,
    limit: size + 1,
  };
  bare.rowKeyset = rowKeysetOf(bare.after);
  const apiStatements = capN.statements.map((s) => s.sql.replace(/\s+/g, ' ').trim());
  console.log(`\nThe API's transaction for a cursor page (${apiStatements.length} statements; the bare server sends all but the key lookup):`);
  for (const s of apiStatements) console.log(`  ${s.length > 200 ? `${s.slice(0, 197)}…` : s}`);

  // ------------------------------------------------------------------ EXPLAIN by depth
  const monitor = likeDrizzle(postgres(appDatabaseUrl(), { max: 1, onnotice: () => {}, connection: { application_name: 'lectern-bench-monitor' } }));
  const bindFor = (s: Statement, pos: { k: string; i: string } | null) => s.params.map((p) => (p !== null && typeof p === 'object' ? (p.$ === 'tenant' ? tenant.id : pos![p.$]) : p)) as postgres.ParameterOrJSON<never>[];
  const explain = async (s: Statement, pos: { k: string; i: string } | null) =>
    monitor.begin(async (tx) => {
      await tx.unsafe(bare.tenant.sql, bindFor(bare.tenant, null), { prepare: false });
      const rows = await tx.unsafe(`explain (analyze, buffers) ${s.sql}`, bindFor(s, pos), { prepare: false });
      return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
    });
  const plans: Record<string, string> = {};
  const posAt = (f: number) => positions.find((r) => r.rn === spreadPages[Math.round(f * (spreadPages.length - 1))]! * size)!;
  plans['page 1'] = await explain(bare.first, null);
  for (const f of [0.1, 0.5, 0.95]) plans[`cursor at row ${posAt(f).rn.toLocaleString('en')}`] = await explain(bare.after, posAt(f));
  if (bare.rowKeyset) plans[`cursor at row ${posAt(0.5).rn.toLocaleString('en')}, row keyset (what-if)`] = await explain(bare.rowKeyset, posAt(0.5));
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the endpoint's list query, cursor at row ${posAt(0.5).rn.toLocaleString('en')} of ${enrolments.toLocaleString('en')}:`);
  console.log(plans[`cursor at row ${posAt(0.5).rn.toLocaleString('en')}`]!.replace(/^/gm, '  '));
  for (const [what, plan] of Object.entries(plans)) {
    const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
    const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    const scan = /(Index Scan|Index Only Scan|Bitmap Heap Scan|Seq Scan)[^(]*/.exec(plan)?.[0]?.trim();
    console.log(`  ${what}: ${scan ?? '?'}, execution ${ms ?? '?'} ms${removed ? `, ${removed.toLocaleString('en')} rows read and thrown away by the filter` : ''}`);
  }
  await closeDb();

  // ------------------------------------------------------------------ servers
  if (!hasFlag('no-build')) buildIfStale();
  for (const p of [port, barePort]) if (!(await portFree(p))) throw new Error(`port ${p} is in use: stop what listens there or pass --port / --bare-port`);
  const logFile = path.join(os.tmpdir(), `lectern-bench-api-${port}.log`);
  const bareLog = path.join(os.tmpdir(), `lectern-bench-api-bare-${barePort}.log`);
  const profDir = argValue('cpu-prof');
  let next: ChildProcess | null = null;
  let bareChild: ChildProcess | null = null;
  const stopAll = async () => {
    await Promise.all([stopChild(next), stopChild(bareChild)]);
    await monitor.end({ timeout: 5 });
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const scenarios: Scenario[] = only === 'page-1' ? ['page 1'] : only === 'spread' ? ['spread'] : ['page 1', 'spread'];
  const runs: Run[] = [];
  const problems: string[] = [];
  const depth: { page: number; row: number; ms: number }[] = [];
  const loadBefore = os.loadavg();
  try {
    const logFd = openSync(logFile, 'w');
    next = spawn(process.execPath, [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : []), NEXT_BIN, 'start', '-p', String(port)], {
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LECTERN_WORKER: '0' },
    });
    closeSync(logFd);
    const bareFd = openSync(bareLog, 'w');
    bareChild = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--serve-bare'], { stdio: ['ignore', bareFd, bareFd], env: { ...process.env, LECTERN_BENCH_BARE: JSON.stringify(bare) } });
    closeSync(bareFd);
    console.log(`\nnext start on ${root} (log: ${logFile}); bare server on 127.0.0.1:${barePort} (log: ${bareLog}); pool ${env.DB_POOL_MAX} connections each; rate limits ${env.REDIS_URL ? 'in Redis' : 'in process'}`);
    await Promise.all([waitFor(next, 'next start', port, '/api/health', logFile), waitFor(bareChild, 'the bare server', barePort, '/health', bareLog)]);

    // Same answers: the API's walk gives the cursors derived from the database, and both servers agree.
    const apiGet = (cursor: string | null) => request(port, listPath(cursor), { host: apiHost, ...auth });
    const bareGet = (cursor: string | null, variant: Variant = 'same') => request(barePort, listPath(cursor), { host: `127.0.0.1:${barePort}`, 'x-bench-variant': variant });
    let walk: string | null = null;
    for (const p of [1, 2]) {
      const res = await apiGet(walk);
      if (res.status !== 200) throw new Error(`GET ${LIST_PATH} answered ${res.status}: ${res.body.slice(0, 300)}`);
      walk = (JSON.parse(res.body) as { next_cursor: string | null }).next_cursor;
      if (walk !== cursorAtRow.get(p * size)) problems.push(`walking the API, page ${p}'s next_cursor differs from the one derived from the database`);
    }
    for (const cursor of [null, spread[0]!, spread[Math.floor(spread.length / 2)]!, spread[spread.length - 1]!]) {
      const [a, b] = [await apiGet(cursor), await bareGet(cursor)];
      const c = bare.rowKeyset && cursor ? await bareGet(cursor, 'row-keyset') : null;
      if (a.status !== 200 || b.status !== 200 || !isDeepStrictEqual(JSON.parse(a.body), JSON.parse(b.body))) problems.push(`API and bare server answer differently for ${cursor ? `cursor ${cursor}` : 'page 1'} (${a.status} / ${b.status})`);
      if (c && (c.status !== 200 || c.body !== b.body)) problems.push(`the row-keyset what-if answers differently for cursor ${cursor}`);
    }
    const sample = await apiGet(null);
    console.log(`Checked: the API's walk matches the derived cursors; API and bare server return the same rows and cursors (page 1: ${Buffer.byteLength(sample.body).toLocaleString('en')} bytes)${problems.length ? ` — NOT SO: ${problems.join('; ')}` : ''}`);

    // One request at a time, by depth.
    process.stdout.write('\nOne request at a time through the API, by depth:');
    for (const f of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1]) {
      const idx = Math.round(f * (spread.length - 1));
      const cursor = f === 0 ? null : spread[idx]!;
      const page = f === 0 ? 0 : spreadPages[idx]!;
      await apiGet(cursor);
      const res = await apiGet(cursor);
      depth.push({ page: page + 1, row: page * size + 1, ms: res.ms });
      process.stdout.write(`  page ${(page + 1).toLocaleString('en')} ${res.ms.toFixed(0)} ms;`);
    }
    console.log('');

    // Load.
    const pgBackends = async (app: string) =>
      (await monitor<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = ${app}`).map((r) => r.pid);
    const backendCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + (procStat(pid)?.cpu ?? 0), 0);
    /** Until no statement of ours runs for a second: requests abandoned by the last run must not load the next. */
    const quiet = async () => {
      const deadline = Date.now() + 180_000;
      let calm = 0;
      while (calm < 4 && Date.now() < deadline) {
        const [row] = await monitor<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`;
        calm = row!.n === 0 ? calm + 1 : 0;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const servers: { id: ServerId; p: number; pid: () => number; app: string; headers: Record<string, string>; scenarios: Scenario[] }[] = [
      { id: 'api', p: port, pid: () => next!.pid!, app: 'lectern', headers: { host: apiHost, ...auth }, scenarios: ['page 1', 'spread'] },
      { id: 'bare', p: barePort, pid: () => bareChild!.pid!, app: BARE_APP_NAME, headers: { host: `127.0.0.1:${barePort}` }, scenarios: ['page 1', 'spread'] },
    ];
    if (variants) {
      servers.push({ id: 'bare, prepared', p: barePort, pid: () => bareChild!.pid!, app: BARE_APP_NAME, headers: { host: `127.0.0.1:${barePort}`, 'x-bench-variant': 'prepared' }, scenarios: ['page 1', 'spread'] });
      if (bare.rowKeyset) servers.push({ id: 'bare, row keyset', p: barePort, pid: () => bareChild!.pid!, app: BARE_APP_NAME, headers: { host: `127.0.0.1:${barePort}`, 'x-bench-variant': 'row-keyset' }, scenarios: ['spread'] });
    }
    const monoStart = process.hrtime.bigint() / 1000n;
    for (const scenario of scenarios) {
      const paths = scenario === 'page 1' ? [listPath(null)] : spread.map((c) => listPath(c));
      for (const s of servers.filter((x) => x.scenarios.includes(scenario))) {
        await quiet();
        process.stdout.write(`  ${scenario}, ${s.id}: warm-up ${warmup} s… `);
        if (warmup) await cannon(s.p, paths, s.headers, warmup);
        await quiet();
        const pids = await pgBackends(s.app);
        const cpu0 = { server: treeCpuSeconds(s.pid()), pg: backendCpu(pids) };
        const l = await cannon(s.p, paths, s.headers, duration);
        const served = l.ok + l.non2xx;
        const load: Load = {
          ...l,
          serverCpuMsPerReq: served ? ((treeCpuSeconds(s.pid()) - cpu0.server) * 1000) / served : null,
          pgCpuMsPerReq: served ? ((backendCpu(pids) - cpu0.pg) * 1000) / served : null,
          loadavg: os.loadavg(),
        };
        runs.push({ scenario, server: s.id, load });
        console.log(`${fmt(load.reqPerSec, 1)} req/s, p95 ${fmt(load.p95, 1)} ms${load.non2xx || load.errors ? `, statuses ${JSON.stringify(load.statuses)}, ${load.errors} errors` : ''}`);
      }
    }
    if (profDir) console.log(`  load runs on the monotonic clock: ${monoStart}–${process.hrtime.bigint() / 1000n} µs (the profile's timestamps)`);
  } finally {
    await stopAll();
  }
  const loadAfter = os.loadavg();

  // ------------------------------------------------------------------ report
  const head = ['scenario', 'server', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', '2xx', 'non-2xx/err', 'server CPU ms/req', 'PG CPU ms/req'];
  const lines = runs.map((r) => [
    r.scenario,
    r.server,
    fmt(r.load.reqPerSec, 1),
    fmt(r.load.p50, 1),
    fmt(r.load.p95, 1),
    fmt(r.load.p99, 1),
    fmt(r.load.ok),
    `${r.load.non2xx}/${r.load.errors}`,
    fmt(r.load.serverCpuMsPerReq, 2),
    fmt(r.load.pgCpuMsPerReq, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(
    `\nGET ${LIST_PATH} at ${enrolments.toLocaleString('en')} enrolments: next start vs a bare node:http + postgres.js server, same SQL; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Postgres ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}; ` +
      `autocannon ${connections} connections × ${duration} s after ${warmup} s warm-up; load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`,
  );
  console.log(`${pad(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(pad(l));
  const ratios: { scenario: Scenario; reqPerSec: number; p95: number }[] = [];
  for (const scenario of scenarios) {
    const a = runs.find((r) => r.scenario === scenario && r.server === 'api')?.load;
    const b = runs.find((r) => r.scenario === scenario && r.server === 'bare')?.load;
    if (!a || !b) continue;
    ratios.push({ scenario, reqPerSec: a.reqPerSec / b.reqPerSec, p95: a.p95 / b.p95 });
  }
  console.log(`\nAPI / bare: ${ratios.map((r) => `${r.scenario}: req/s ×${r.reqPerSec.toFixed(2)} (${(r.reqPerSec * 100).toFixed(0)} %), p95 ×${r.p95.toFixed(2)}`).join('; ')}`);
  console.log('p50/p95/p99 over 2xx responses. CPU ms/req: CPU time of the server process (tree) and of its Postgres backends during the measured run, per response.');

  const jsonFile = argValue('json');
  if (jsonFile) {
    const out = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model.trim(), node: process.version, loadavg: { before: loadBefore, after: loadAfter } },
      database: `${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`,
      enrolments,
      settings: { connections, duration, warmup, cursors: spread.length, poolMax: env.DB_POOL_MAX, pageSize: size },
      apiStatements,
      bareStatements: { tenant: bare.tenant.sql, first: bare.first.sql, after: bare.after.sql, rowKeyset: bare.rowKeyset?.sql ?? null },
      plans,
      depth,
      runs,
      ratios,
      problems,
    };
    writeFileSync(jsonFile, JSON.stringify(out, null, 2));
    console.log(`Figures written to ${jsonFile}.`);
  }

  const failed = runs.filter((r) => r.load.non2xx > 0 || r.load.errors > 0);
  for (const r of failed) problems.push(`${r.scenario}, ${r.server}: ${r.load.non2xx} non-2xx (${JSON.stringify(r.load.statuses)}), ${r.load.errors} errors`);
  if (problems.length) {
    console.error(`\nFailed: ${problems.join('; ')}`);
    return 1;
  }
  return 0;
}

// Last, so every module-level constant above is initialised before either mode starts.
if (process.argv.includes('--serve-bare')) {
  serveBare(JSON.parse(process.env.LECTERN_BENCH_BARE ?? '{}') as BareConfig);
} else {
  void runBench();
}
