/**
 * `npm run bench:pages [-- options]`: throughput, latency and SQL statements per page of the catalogue, the
 * course player and the roster, under `next start` on Postgres.
 *
 *   1. DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lectern_bench): created if missing, migrated,
 *      demo organisations seeded if it has none. The large organisation comes from `npm run seed:large`.
 *   2. Builds when `.next` is missing or stale (the same check as `npm start`; `--no-build` skips it).
 *   3. Starts `next start` on --port (3300) with LECTERN_QUERY_COUNTER=1 and LECTERN_ROOT_DOMAIN=localhost:<port>.
 *   4. Signs in (Auth.js credentials flow over node:http with a Host header) as a learner of, and the
 *      instructor of, the most-enrolled published course of each organisation.
 *   5. For each page on each --orgs organisation (default acme,big): one request at a time, reads
 *      /api/debug/queries before and after (statements per page, three times); then, for --load-orgs (default
 *      big), autocannon with --connections (50) for --duration (10) seconds.
 *   6. Prints a table (and writes it as JSON with --json <file>); with --with-ceilings (runs ../shared/bench/ceilings.sh first) or --ceilings <file> (its
 *      saved output) also the ceilings H, Hp, P and Lectern's ratios to them.
 *
 * Exits 1 if any page answers other than 200, during the checks or under load (--allow-missing: a 404 page,
 * i.e. one not built yet, is reported and skipped).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { closeDb, withTenant } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEMO_PASSWORD } from '@/db/seed';
import { seedDemo } from '@/lib/demo';
import { findOrganisation } from '@/db/seed-large';
import { buildIfStale, NEXT_BIN } from './build';
import { argValue, hasFlag, intArg, portFree, prepareToolEnv } from './local-env';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lectern_bench';
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const port = intArg('port', 3300);
const duration = intArg('duration', 10);
const connections = intArg('connections', 50);
const orgs = (argValue('orgs') ?? 'acme,big').split(',').filter(Boolean);
const loadOrgs = (argValue('load-orgs') ?? 'big').split(',').filter(Boolean);
const onlyPages = argValue('pages')?.split(',').filter(Boolean);
const allowMissing = hasFlag('allow-missing');
const root = `localhost:${port}`;

type PageId = 'home' | 'sign-in' | 'catalogue' | 'catalogue-search' | 'player' | 'roster';
type Target = { org: string; page: PageId; path: string; as: string; cookie?: string; note?: string };
type Load = { reqPerSec: number; p50: number; p95: number; p99: number; ok: number; non2xx: number; errors: number; statuses: Record<string, number> };
type Sample = { queries: number; statements: number; transactions: number };
type Row = Target & { status?: number; problem?: string; samples?: Sample[]; serialMs?: number[]; load?: Load };

// ---------------------------------------------------------------------------------------------- HTTP

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** node:http to 127.0.0.1 with a Host header: Node does not resolve *.localhost. */
function request(method: 'GET' | 'POST', host: string, urlPath: string, opts: { cookie?: string; body?: string; contentType?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, 'user-agent': 'lectern-bench' };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${method} ${host}${urlPath}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Merge Set-Cookie headers into a cookie jar (name → value); expired cookies are dropped. */
function absorbCookies(jar: Map<string, string>, res: Res): void {
  for (const line of res.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (!value || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Auth.js credentials sign-in on an organisation's host; returns the Cookie header of the session. */
async function signIn(host: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await request('GET', host, '/api/auth/csrf');
  if (csrf.status !== 200) throw new Error(`sign-in ${email}: GET /api/auth/csrf answered ${csrf.status}`);
  absorbCookies(jar, csrf);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: `http://${host}/` }).toString();
  const cb = await request('POST', host, '/api/auth/callback/credentials', { cookie: cookieHeader(jar), body: form });
  absorbCookies(jar, cb);
  const location = String(cb.headers.location ?? '');
  if (cb.status >= 400 || /[?&]error=/.test(location)) throw new Error(`sign-in ${email} on ${host} failed (${cb.status} ${location})`);
  const session = await request('GET', host, '/api/auth/session', { cookie: cookieHeader(jar) });
  const user = (JSON.parse(session.body || 'null') as { user?: { email?: string } } | null)?.user;
  if (!user) throw new Error(`sign-in ${email} on ${host}: no session after the callback (${cb.status} ${location})`);
  jar.delete('authjs.csrf-token');
  jar.delete('authjs.callback-url');
  return cookieHeader(jar);
}

async function counts(): Promise<Sample> {
  const res = await request('GET', root, '/api/debug/queries');
  if (res.status !== 200) throw new Error(`/api/debug/queries answered ${res.status}: is LECTERN_QUERY_COUNTER=1 reaching the server?`);
  return JSON.parse(res.body) as Sample;
}

// ------------------------------------------------------------------------------------------ fixtures

type Fixture = { slug: string; course?: { slug: string; title: string; seats: number }; learner?: { email: string; itemId: string }; instructor?: { email: string } };

/** The most-enrolled published course, one of its active learners with progress (and their last item), its instructor. */
async function fixtureFor(slug: string): Promise<Fixture | null> {
  const org = await findOrganisation(slug);
  if (!org) return null;
  return withTenant(org.id, async (tx) => {
    const [course] = await tx.execute<{ id: string; slug: string; title: string; seats: number }>(
      sql`select id, slug, title, seats_taken as seats from courses where status = 'published' order by seats_taken desc, created_at limit 1`,
    );
    if (!course) return { slug };
    const [learner] = await tx.execute<{ email: string; item_id: string }>(sql`
      select u.email, coalesce(e.last_item_id, firstitem.id) as item_id
      from enrolments e
      join users u on u.id = e.user_id
      cross join lateral (select i.id from course_items i join course_modules m on m.tenant_id = i.tenant_id and m.id = i.module_id
                          where i.course_id = e.course_id order by m.position, i.position limit 1) firstitem
      where e.course_id = ${course.id} and e.role = 'learner' and e.status = 'active'
      order by (e.last_item_id is not null and e.completed_at is null) desc, e.enrolled_at
      limit 1`);
    const [instructor] = await tx.execute<{ email: string }>(sql`
      select u.email from enrolments e join users u on u.id = e.user_id
      where e.course_id = ${course.id} and e.role = 'instructor' and e.status = 'active' order by e.enrolled_at limit 1`);
    const [owner] = instructor ? [] : await tx.execute<{ email: string }>(sql`select u.email from memberships m join users u on u.id = m.user_id where m.role = 'owner' limit 1`);
    return {
      slug,
      course: { slug: course.slug, title: course.title, seats: course.seats },
      learner: learner ? { email: learner.email, itemId: learner.item_id } : undefined,
      instructor: instructor ?? owner,
    };
  });
}

// -------------------------------------------------------------------------------------------- load

type AutocannonResult = { requests: { average: number }; errors: number; timeouts: number; non2xx: number; statusCodeStats: Record<string, { count: number }> };
type AutocannonInstance = { on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void };
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** autocannon reports p50/p97.5/p99 but no p95: the percentiles here come from every 2xx response's latency. */
function load(t: Target): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const headers: Record<string, string> = { host: `${t.org}.${root}` };
    if (t.cookie) headers.cookie = t.cookie;
    const instance = autocannon({ url: `http://127.0.0.1:${port}${t.path}`, connections, duration, headers, timeout: 30 }, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
      resolve({
        reqPerSec: result.requests.average,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        ok: latencies.length,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        statuses,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

// ---------------------------------------------------------------------------------------- ceilings

type Ceilings = { H?: number; Hp?: number; P?: number; text: string };

function parseCeilings(text: string): Ceilings {
  const out: Ceilings = { text: text.trim() };
  for (const m of text.matchAll(/^(H|Hp|P) \([^)]*\): (\d+(?:\.\d+)?) req\/s/gm)) out[m[1] as 'H' | 'Hp' | 'P'] = Number(m[2]);
  return out;
}

async function runCeilings(): Promise<Ceilings> {
  const script = path.resolve(argValue('ceilings-script') ?? path.join('..', 'shared', 'bench', 'ceilings.sh'));
  if (!existsSync(script)) throw new Error(`--with-ceilings: ${script} not found (set --ceilings-script)`);
  // It creates a table ceil_items: give it a scratch database on the same server.
  const scratch = new URL(databaseUrl);
  scratch.pathname = '/lectern_ceilings';
  await ensureDatabase(scratch.toString());
  console.log(`Running ${script} (${duration} s per ceiling)…`);
  const r = spawnSync('bash', [script, String(duration)], { env: { ...process.env, DATABASE_URL: scratch.toString() }, encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`ceilings.sh failed (${r.status}): ${r.stderr}`);
  return parseCeilings(r.stdout);
}

// ----------------------------------------------------------------------------------------- helpers

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    if (!rows.length) {
      await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`Created database ${name}.`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function waitForServer(child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await request('GET', root, '/api/health')).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`next start did not answer /api/health within 90 s; see ${logFile}`);
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function printTable(rows: Row[], ceilings: Ceilings | null): void {
  const head = ['org', 'page', 'path', 'queries', 'stmts (tx)', '1-conn ms', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx/err'];
  if (ceilings?.Hp) head.push('÷Hp', '÷H', '÷P');
  const lines = rows.map((r) => {
    const range = (k: keyof Sample) => {
      const v = (r.samples ?? []).map((x) => x[k]);
      return v.length ? `${Math.min(...v)}${Math.max(...v) !== Math.min(...v) ? `–${Math.max(...v)}` : ''}` : '—';
    };
    const l = r.load;
    const cells = [
      r.org,
      r.page,
      r.path.length > 60 ? `${r.path.slice(0, 57)}…` : r.path,
      range('queries'),
      r.samples?.length ? `${range('statements')} (${range('transactions')})` : '—',
      r.serialMs?.length ? fmt([...r.serialMs].sort((a, b) => a - b)[1], 0) : '',
      r.problem ?? (l ? fmt(l.reqPerSec, 1) : ''),
      l ? fmt(l.p50, 1) : '',
      l ? fmt(l.p95, 1) : '',
      l ? fmt(l.p99, 1) : '',
      l ? `${l.non2xx}/${l.errors}` : '',
    ];
    if (ceilings?.Hp) {
      const ratio = (c?: number) => (l && c ? `${((l.reqPerSec / c) * 100).toFixed(1)} %` : '');
      cells.push(ratio(ceilings.Hp), ratio(ceilings.H), ratio(ceilings.P));
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`\n${pad(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(pad(l));
}

// -------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  let ceilings: Ceilings | null = null;
  const ceilingsFile = argValue('ceilings');
  if (ceilingsFile) ceilings = parseCeilings(readFileSync(ceilingsFile, 'utf8'));

  process.env.PORT = String(port);
  process.env.LECTERN_ROOT_DOMAIN = root;
  await ensureDatabase(databaseUrl);
  const env = await prepareToolEnv(databaseUrl, { embedded: false });
  await runMigrations(databaseUrl, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
  await seedDemo((line) => console.log(line));

  const fixtures = new Map<string, Fixture>();
  for (const slug of orgs) {
    const f = await fixtureFor(slug);
    if (!f) {
      console.error(`Organisation "${slug}" is not in ${databaseUrl}${slug === 'big' ? ': run `DATABASE_URL=' + databaseUrl + ' npm run seed:large` first' : ''}.`);
      await closeDb();
      return 1;
    }
    fixtures.set(slug, f);
    console.log(
      `${slug}: ` +
        (f.course
          ? `course "${f.course.title}" (/${f.course.slug}, ${f.course.seats.toLocaleString('en')} seats taken), learner ${f.learner?.email ?? '—'}, instructor ${f.instructor?.email ?? '—'}`
          : 'no published course (player and roster skipped)'),
    );
  }
  await closeDb();

  if (hasFlag('with-ceilings')) ceilings = await runCeilings();

  if (!hasFlag('no-build')) buildIfStale();
  if (!(await portFree(port))) throw new Error(`port ${port} is in use: stop what listens there or pass --port`);

  const logFile = path.join(os.tmpdir(), `lectern-bench-${port}.log`);
  const logFd = openSync(logFile, 'w');
  // No -H 127.0.0.1: the proxy's rewrites go to localhost:<port>, which may resolve to ::1 (as `npm start` binds).
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port)], {
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LECTERN_QUERY_COUNTER: '1' },
  });
  closeSync(logFd);
  const stopServer = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  const onSignal = () => void stopServer().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rows: Row[] = [];
  try {
    console.log(`next start on ${root} (log: ${logFile})…`);
    await waitForServer(child, logFile);

    const targets: Target[] = [];
    for (const slug of orgs) {
      const f = fixtures.get(slug)!;
      const host = `${slug}.${root}`;
      targets.push({ org: slug, page: 'home', path: '/', as: 'signed out' });
      targets.push({ org: slug, page: 'sign-in', path: '/sign-in', as: 'signed out' });
      targets.push({ org: slug, page: 'catalogue', path: '/courses', as: 'signed out' });
      targets.push({ org: slug, page: 'catalogue-search', path: '/courses?q=data&page=3', as: 'signed out' });
      if (f.course && f.learner) {
        const cookie = await signIn(host, f.learner.email, DEMO_PASSWORD);
        targets.push({ org: slug, page: 'player', path: `/learn/${f.course.slug}/${f.learner.itemId}`, as: f.learner.email, cookie });
      }
      if (f.course && f.instructor) {
        const cookie = await signIn(host, f.instructor.email, DEMO_PASSWORD);
        targets.push({ org: slug, page: 'roster', path: `/teach/${f.course.slug}/roster`, as: f.instructor.email, cookie });
      }
    }
    const selected = onlyPages ? targets.filter((t) => onlyPages.includes(t.page)) : targets;

    // Statements per page: one request at a time, nothing else running, counter read around it.
    for (const t of selected) {
      const row: Row = { ...t };
      rows.push(row);
      const host = `${t.org}.${root}`;
      const first = await request('GET', host, t.path, { cookie: t.cookie });
      row.status = first.status;
      if (first.status !== 200) {
        row.problem = first.status === 404 ? 'missing (404)' : `HTTP ${first.status}${first.headers.location ? ` → ${first.headers.location}` : ''}`;
        continue;
      }
      row.samples = [];
      row.serialMs = [];
      for (let i = 0; i < 3; i++) {
        const before = await counts();
        const t1 = performance.now();
        const res = await request('GET', host, t.path, { cookie: t.cookie });
        row.serialMs.push(performance.now() - t1);
        const after = await counts();
        if (res.status !== 200) row.problem = `HTTP ${res.status}`;
        row.samples.push({ queries: after.queries - before.queries, statements: after.statements - before.statements, transactions: after.transactions - before.transactions });
      }
      console.log(
        `  ${t.org} ${t.page.padEnd(16)} ${t.path}  as ${t.as}: ${row.samples.map((x) => `${x.queries} queries / ${x.statements} statements / ${x.transactions} tx`).join('; ')}; ${row.serialMs.map((ms) => ms.toFixed(0)).join(', ')} ms`,
      );
    }

    for (const row of rows) {
      if (row.problem || !loadOrgs.includes(row.org)) continue;
      process.stdout.write(`  load ${row.org} ${row.page} (${connections} connections, ${duration} s)… `);
      row.load = await load(row);
      console.log(`${fmt(row.load.reqPerSec, 1)} req/s, p95 ${fmt(row.load.p95, 1)} ms${row.load.non2xx || row.load.errors ? `, statuses ${JSON.stringify(row.load.statuses)}, ${row.load.errors} errors` : ''}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await stopServer();
  }

  console.log(`\nLectern pages, next start on ${root}, ${os.cpus().length} CPUs, Postgres ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}; load: autocannon ${connections} connections × ${duration} s; p50/p95/p99 over 2xx responses`);
  printTable(rows, ceilings);
  if (ceilings) console.log(`\nCeilings (same machine${hasFlag('with-ceilings') ? ', this run' : `, from ${ceilingsFile}`}):\n${ceilings.text}\n÷Hp, ÷H, ÷P: Lectern's req/s as a share of each ceiling.`);
  console.log(
    '\nPer request, over three sequential requests (a range if they differ): queries = SQL sent without transaction control and the ' +
      "role/tenant set_config; stmts = every statement (begin, set_config, commit included); (tx) = transactions. 1-conn ms: median of those requests' latencies, alone on the server.",
  );

  const jsonFile = argValue('json');
  if (jsonFile) {
    const out = { at: new Date().toISOString(), cpus: os.cpus().length, database: `${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`, connections, duration, ceilings, rows: rows.map(({ cookie: _cookie, ...r }) => r) };
    writeFileSync(jsonFile, JSON.stringify(out, null, 2));
    console.log(`Figures written to ${jsonFile}.`);
  }

  const failed = rows.filter((r) => (r.problem && !(allowMissing && r.status === 404)) || (r.load && (r.load.non2xx > 0 || r.load.errors > 0)));
  if (failed.length) {
    console.error(`\n${failed.length} page(s) failed: ${failed.map((r) => `${r.org} ${r.page} (${r.problem ?? `${r.load!.non2xx} non-2xx, ${r.load!.errors} errors`})`).join('; ')}`);
    return 1;
  }
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch(async (e) => {
    console.error(e instanceof Error ? e.message : e);
    await closeDb();
    process.exit(1);
  });
