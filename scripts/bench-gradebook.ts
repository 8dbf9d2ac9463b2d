/**
 * `npm run bench:gradebook [-- options]`: the gradebook of one course with 5,000 learners × 50 items.
 *
 *   1. DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lectern_bench_gradebook) is created if
 *      missing and migrated; `--embedded` runs an embedded PostgreSQL instead (data under the system temp
 *      folder, port --pg-port, default 54399). An organisation `gradebench` is created once; its course
 *      "Gradebook bench" is seeded set-based (generate_series): --learners (5000) × --items (50) cells,
 *      three weighted categories (one drops the lowest 2) plus uncategorised items, ~4 % ungraded,
 *      ~3 % excused, ~2 % overridden, ~10 % not released. `--reseed` drops and re-creates the course.
 *   2. Times, --runs (20) times each: the full-course SQL computation (every learner's totals), the
 *      staff page's service (first page by name, and first page sorted by total), the learner's own view
 *      and the CSV export built in memory. Prints p50 / p95 / max in ms.
 *   3. `--http`: builds if stale, starts `next start` on --port (3320), signs in as the organisation's
 *      owner and times GET of the gradebook page and the CSV export (--http-runs, 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { closeDb, schema, withTenant } from '@/db/client';
import { startEmbeddedPostgres, ensureDatabase as ensureEmbeddedDatabase, type EmbeddedServer } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { DEMO_PASSWORD } from '@/db/seed';
import { findOrganisation } from '@/db/seed-large';
import type { MemberContext } from '@/lib/auth/context';
import { hashPassword } from '@/lib/auth/password';
import { computeTotals } from '@/lib/gradebook/compute';
import { exportGradebookCsv } from '@/lib/gradebook/export';
import { gradebookPage, myGrades } from '@/lib/gradebook/service';
import { createOrganisation } from '@/lib/tenancy/tenants';
import { buildIfStale, NEXT_BIN } from './build';
import { hasFlag, intArg, prepareToolEnv } from './local-env';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lectern_bench_gradebook';
const SLUG = 'gradebench';
const COURSE_SLUG = 'gradebook-bench';
const OWNER_EMAIL = `owner@${SLUG}.test`;
const learnersN = intArg('learners', 5000);
const itemsN = intArg('items', 50);
const runs = intArg('runs', 20);
const httpRuns = intArg('http-runs', 10);
const port = intArg('port', 3320);
const root = `localhost:${port}`;

type Stat = { name: string; samples: number[]; note?: string };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function printTable(stats: Stat[]): void {
  const head = ['measure', 'runs', 'p50 ms', 'p95 ms', 'max ms', 'note'];
  const lines = stats.map((s) => {
    const sorted = [...s.samples].sort((a, b) => a - b);
    return [s.name, String(sorted.length), percentile(sorted, 50).toFixed(1), percentile(sorted, 95).toFixed(1), sorted.at(-1)!.toFixed(1), s.note ?? ''];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`\n${pad(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const l of lines) console.log(pad(l));
}

async function time(name: string, n: number, fn: () => Promise<unknown>, note?: (last: unknown) => string): Promise<Stat> {
  await fn(); // warm-up (plans, caches)
  const samples: number[] = [];
  let last: unknown;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    last = await fn();
    samples.push(performance.now() - t);
  }
  return { name, samples, note: note?.(last) };
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
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

/** The organisation (created once), its owner's context, and the course (seeded set-based when missing). */
async function seed(ownerUrl: string): Promise<{ ctx: MemberContext; courseId: string; learnerEmail: string }> {
  if (!(await findOrganisation(SLUG))) {
    await createOrganisation({ orgName: 'Gradebook Bench', slug: SLUG, ownerName: 'Bench Owner', email: OWNER_EMAIL, password: DEMO_PASSWORD });
    console.log(`Created organisation ${SLUG} (owner ${OWNER_EMAIL}).`);
  }
  const org = (await findOrganisation(SLUG))!;
  const ctx = await withTenant(org.id, async (tx) => {
    const [m] = await tx
      .select({ membershipId: schema.memberships.id, role: schema.memberships.role, id: schema.users.id, email: schema.users.email, name: schema.users.name })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(eq(schema.users.email, OWNER_EMAIL));
    return { tenant: org, user: { id: m!.id, email: m!.email, name: m!.name }, membershipId: m!.membershipId, role: m!.role } satisfies MemberContext;
  });

  // The owner connection (a superuser, so row-level security does not apply) seeds in bulk.
  const db = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    if (hasFlag('reseed')) await db`delete from courses where tenant_id = ${org.id} and slug = ${COURSE_SLUG}`;
    const [existing] = await db<{ id: string }[]>`select id from courses where tenant_id = ${org.id} and slug = ${COURSE_SLUG}`;
    if (existing) {
      console.log(`Course ${COURSE_SLUG} already seeded (--reseed to re-create it).`);
      return { ctx, courseId: existing.id, learnerEmail: `gb00001@${SLUG}.test` };
    }
    const t0 = performance.now();
    const hash = await hashPassword(DEMO_PASSWORD);
    await db.begin(async (tx) => {
      const [course] = await tx<{ id: string }[]>`
        insert into courses (tenant_id, slug, title, status, published_at) values (${org.id}, ${COURSE_SLUG}, 'Gradebook bench', 'published', now()) returning id`;
      const courseId = course!.id;
      await tx`insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at) values (${org.id}, ${courseId}, ${ctx.user.id}, 'instructor', 'active', now())`;
      await tx`
        insert into grade_categories (tenant_id, course_id, name, weight, drop_lowest, position)
        values (${org.id}, ${courseId}, 'Quizzes', 30, 2, 0), (${org.id}, ${courseId}, 'Assignments', 50, 0, 1), (${org.id}, ${courseId}, 'Exams', 20, 0, 2)`;
      await tx`
        insert into course_modules (tenant_id, course_id, title, position)
        select ${org.id}, ${courseId}, 'Week ' || (m + 1), m from generate_series(0, 9) m`;
      // Items: mostly quizzes, every third an assignment, every tenth an exam; every 25th uncategorised.
      await tx`
        insert into course_items (tenant_id, course_id, module_id, kind, title, position, content, grade_category_id)
        select ${org.id}, ${courseId}, mo.id,
               case when i % 3 = 1 then 'assignment' else 'quiz' end,
               case when i % 10 = 9 then 'Exam ' when i % 3 = 1 then 'Assignment ' else 'Quiz ' end || (i + 1),
               i, case when i % 3 = 1 then jsonb_build_object('points', 20) else '{}'::jsonb end,
               (select c.id from grade_categories c where c.course_id = ${courseId}
                 and c.name = case when i % 25 = 24 then null when i % 10 = 9 then 'Exams' when i % 3 = 1 then 'Assignments' else 'Quizzes' end)
        from generate_series(0, ${itemsN - 1}::int) i
        join course_modules mo on mo.course_id = ${courseId} and mo.position = i % 10`;
      await tx`
        insert into users (name, email, password_hash)
        select (array['Ada','Brook','Carl','Dana','Emmy','Felix','Grace','Hedy','Ivan','Joan'])[1 + g % 10] || ' ' ||
               (array['Lovelace','Taylor','Gauss','Scott','Noether','Klein','Hopper','Lamarr','Petrov','Clarke'])[1 + (g / 10) % 10] || ' ' || g,
               'gb' || lpad(g::text, 5, '0') || ${`@${SLUG}.test`}, ${hash}
        from generate_series(1, ${learnersN}::int) g
        on conflict (email) do nothing`;
      await tx`
        insert into memberships (tenant_id, user_id, role)
        select ${org.id}, u.id, 'learner' from users u where u.email like ${`gb%@${SLUG}.test`}
        on conflict do nothing`;
      await tx`
        insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at)
        select ${org.id}, ${courseId}, u.id, 'learner', 'active', now() from users u
        where u.email like ${`gb%@${SLUG}.test`} and substr(u.email, 3, 5)::int <= ${learnersN}`;
      // One cell per learner and item; a hash of (learner, item) decides ungraded / excused / override / hidden.
      await tx`
        insert into grades (tenant_id, item_id, enrolment_id, raw_score, score, points_possible, override_score, override_reason, excused, graded_at, released_at)
        select ${org.id}, i.id, e.id, s.score, s.score, s.points,
               case when h % 50 = 7 then least(s.points, round(s.points * 0.9, 2)) end,
               case when h % 50 = 7 then 'Bench override' end,
               h % 33 = 5, now(), case when h % 10 = 3 then null else now() end
        from enrolments e
        cross join course_items i
        cross join lateral (select abs(hashtext(e.id::text || i.id::text)) as h) hh
        cross join lateral (select case when i.kind = 'assignment' then 20 else 10 end::numeric as points) p
        cross join lateral (select p.points, case when hh.h % 25 = 0 then null else round(p.points * ((hh.h % 1000) / 1000.0) ^ 0.5, 2) end as score) s
        where e.course_id = ${courseId} and e.role = 'learner' and i.course_id = ${courseId}`;
    });
    await db.unsafe("analyze users; analyze enrolments; analyze course_items; analyze grades; analyze grade_categories");
    console.log(`Seeded ${learnersN.toLocaleString('en')} learners × ${itemsN} items in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
    const [c] = await db<{ id: string }[]>`select id from courses where tenant_id = ${org.id} and slug = ${COURSE_SLUG}`;
    return { ctx, courseId: c!.id, learnerEmail: `gb00001@${SLUG}.test` };
  } finally {
    await db.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------- HTTP

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

function request(method: 'GET' | 'POST', host: string, urlPath: string, opts: { cookie?: string; body?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, 'user-agent': 'lectern-bench' };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: ${method} ${host}${urlPath}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function signIn(host: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const absorb = (res: Res) => {
    for (const line of res.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await request('GET', host, '/api/auth/csrf');
  absorb(csrf);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const cb = await request('POST', host, '/api/auth/callback/credentials', { cookie: cookie(), body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `http://${host}/` }).toString() });
  absorb(cb);
  if (cb.status >= 400 || /[?&]error=/.test(String(cb.headers.location ?? ''))) throw new Error(`sign-in ${email} failed (${cb.status})`);
  return cookie();
}

async function httpBench(): Promise<Stat[]> {
  buildIfStale();
  const logFile = path.join(os.tmpdir(), `lectern-bench-gradebook-${port}.log`);
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port)], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), LECTERN_ROOT_DOMAIN: root },
  });
  closeSync(fd);
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next start exited; see ${logFile}`);
      try {
        if ((await request('GET', root, '/api/health')).status === 200) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`next start did not answer within 90 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const host = `${SLUG}.${root}`;
    const cookie = await signIn(host, OWNER_EMAIL, DEMO_PASSWORD);
    const get = (p: string) => async () => {
      const res = await request('GET', host, p, { cookie });
      if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}`);
      return res;
    };
    const size = (r: unknown) => `${((r as Res).body.length / 1024).toFixed(0)} KB`;
    return [
      await time(`HTTP GET /teach/${COURSE_SLUG}/gradebook`, httpRuns, get(`/teach/${COURSE_SLUG}/gradebook`), size),
      await time(`HTTP GET …/gradebook?sort=total`, httpRuns, get(`/teach/${COURSE_SLUG}/gradebook?sort=total`), size),
      await time(`HTTP GET …/gradebook/export (CSV)`, Math.max(3, Math.ceil(httpRuns / 2)), get(`/teach/${COURSE_SLUG}/gradebook/export`), size),
    ];
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

async function main(): Promise<void> {
  let embedded: EmbeddedServer | null = null;
  let databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (hasFlag('embedded')) {
    embedded = await startEmbeddedPostgres({ baseDir: path.join(os.tmpdir(), 'lectern-bench-gradebook'), port: intArg('pg-port', 54399), log: console.log });
    databaseUrl = await ensureEmbeddedDatabase(embedded.url, 'lectern_bench_gradebook');
    console.log(`Embedded PostgreSQL on port ${embedded.port} (${embedded.dataDir}).`);
  } else {
    await ensureDatabase(databaseUrl);
  }
  const stop = async () => {
    await closeDb();
    await embedded?.stop();
  };
  try {
    process.env.PORT = String(port);
    process.env.LECTERN_ROOT_DOMAIN = root;
    const env = await prepareToolEnv(databaseUrl, { embedded: Boolean(embedded) });
    await runMigrations(databaseUrl, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
    const { ctx, courseId, learnerEmail } = await seed(databaseUrl);
    const learner = await withTenant(ctx.tenant.id, async (tx) => {
      const [u] = await tx.execute<{ id: string; name: string; membership_id: string }>(sql`
        select u.id, u.name, m.id as membership_id from users u join memberships m on m.user_id = u.id where u.email = ${learnerEmail}`);
      return { tenant: ctx.tenant, user: { id: u!.id, email: learnerEmail, name: u!.name }, membershipId: u!.membership_id, role: 'learner' } satisfies MemberContext;
    });
    const [shape] = await withTenant(ctx.tenant.id, (tx) =>
      tx.execute<{ learners: number; cells: number }>(sql`
        select (select count(*)::int from enrolments where course_id = ${courseId} and role = 'learner') as learners,
               (select count(*)::int from grades g join course_items i on i.id = g.item_id where i.course_id = ${courseId}) as cells`),
    );
    console.log(`Course ${COURSE_SLUG}: ${shape!.learners.toLocaleString('en')} learners, ${shape!.cells.toLocaleString('en')} cells. ${runs} runs per measure.`);

    const inTenant = <T>(fn: (tx: Parameters<Parameters<typeof withTenant>[1]>[0]) => Promise<T>) => () => withTenant(ctx.tenant.id, fn);
    const stats: Stat[] = [
      await time('SQL: all totals, whole course', runs, inTenant((tx) => computeTotals(tx, { courseId, sort: 'total', direction: 'desc' })), (r) => `${(r as { rows: unknown[] }).rows.length} learners`),
      await time('SQL: first page by total (50)', runs, inTenant((tx) => computeTotals(tx, { courseId, sort: 'total', direction: 'desc', page: { number: 1, size: 50 } }))),
      await time('SQL: first page by name (50)', runs, inTenant((tx) => computeTotals(tx, { courseId, sort: 'name', page: { number: 1, size: 50 } }))),
      await time('service: staff page, by name', runs, inTenant((tx) => gradebookPage(tx, ctx, COURSE_SLUG, {})), (r) => `${(r as { rows: unknown[] }).rows.length} rows × ${(r as { items: unknown[] }).items.length} items`),
      await time('service: staff page, by total', runs, inTenant((tx) => gradebookPage(tx, ctx, COURSE_SLUG, { sort: 'total' }))),
      await time('service: staff page, search "gauss"', runs, inTenant((tx) => gradebookPage(tx, ctx, COURSE_SLUG, { q: 'gauss', sort: 'total' }))),
      await time("service: a learner's own grades", runs, () => withTenant(ctx.tenant.id, (tx) => myGrades(tx, learner, COURSE_SLUG))),
      await time('service: CSV export (in memory)', Math.max(3, Math.ceil(runs / 4)), inTenant((tx) => exportGradebookCsv(tx, ctx, courseId)), (r) => `${((r as { csv: string }).csv.length / 1024 / 1024).toFixed(1)} MB`),
    ];
    await closeDb();
    if (hasFlag('http')) stats.push(...(await httpBench()));
    printTable(stats);
  } finally {
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
