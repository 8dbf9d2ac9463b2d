/**
 * `npm run bench:exam [-- options]`: exam day. Many learners submit a 20-question quiz within a minute,
 * with a burst, against `next start` with the embedded job worker grading in-process; on the embedded
 * database, on Postgres, or both (default).
 *
 *   1. Database. `--db postgres`: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lectern_bench_exam),
 *      created if missing, migrated; a previous run's `exam` organisation is deleted first. `--db embedded`:
 *      a fresh embedded PostgreSQL in a temp folder on --db-port (54349), migrated, removed afterwards.
 *   2. Set-up, set-based through the database (no UI sign-ups): organisation `exam`, an instructor who builds
 *      (through the bank and course services) a published course with one quiz of 20 auto-graded questions of
 *      every type but essay, 30-minute limit, results shown at once; --learners (2,000) users with memberships
 *      and active enrolments in one insert each. No passwords are hashed: each learner's Auth.js session
 *      cookie is minted with the app's AUTH_SECRET (`encode` from next-auth/jwt, salt = the cookie name, and
 *      the claims lib/auth/index.ts puts in: sub, tenantId, authAt), so sign-in itself is not measured.
 *   3. Builds when `.next` is stale (`--no-build` skips it), starts `next start` on --port (3330) with
 *      LECTERN_ROOT_DOMAIN=localhost:<port>, and the job worker (see --worker).
 *   4. Phase A (timed on its own): every learner starts an attempt (POST …/quiz) and autosaves 20 answers
 *      (PUT …/quiz/<attempt>), --concurrency (50) learners at a time, about 70 % of answers right.
 *   5. Phase B (the measured one): one submit per learner (POST …/quiz/<attempt> `{submitKey}`), --learners
 *      − --burst spread evenly over --duration (60) s plus --burst (500) within --burst-window (5) s from
 *      --burst-at (20) s. Each request is abandoned after --timeout (5,000) ms and retried with the same key
 *      up to --retries (3) times with backoff (0.5, 1, 2 s ± 20 %); 5xx and network errors are retried too.
 *      node:http keep-alive, connecting to 127.0.0.1 with Host exam.localhost:<port> and a same-origin Origin.
 *   6. Checks in the database: acknowledged (2xx) vs committed attempts (submitted or graded, with our key),
 *      lost (acknowledged, not committed), duplicates (more than one attempt per enrolment, more than one
 *      `attempt.submitted` event per attempt), then waits until every committed attempt is graded (time from
 *      the last acknowledgement to the last graded_at, and attempts graded per second) and checks that the
 *      gradebook has exactly one cell per graded enrolment.
 *   7. Prints a table per database (`--json <file>` writes everything). Exits 1 if anything is lost or
 *      duplicated, an attempt is left ungraded, or a submit never got an answer.
 *
 * Each database runs in its own child process (module state such as the cached env and the pool is per
 * process). The machine's load average is printed with the figures: the app, Postgres and this load
 * generator share its CPUs. Options: --learners --duration --burst --burst-at --burst-window --port
 * --db-port --concurrency --timeout --retries --grade-timeout (600 s) --no-build --json <file>
 * --cpu-prof <dir> (profile the server during the run), --worker separate|in-process (grading in `npm run worker`,
 * niced and giving way to requests, beside a server with LECTERN_WORKER=0 — the default, as deployed — or in the
 * server process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import postgres from 'postgres';
import { buildIfStale, NEXT_BIN } from './build';
import { argValue, hasFlag, intArg, portFree, prepareToolEnv } from './local-env';

type DbKind = 'embedded' | 'postgres';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/lectern_bench_exam';
const ORG = 'exam';
const SESSION_COOKIE = 'authjs.session-token'; // http: no __Secure- prefix; also the JWE salt
const learners = intArg('learners', 2000);
const duration = intArg('duration', 60);
const burst = intArg('burst', 500, 0);
const burstAt = intArg('burst-at', 20, 0);
const burstWindow = intArg('burst-window', 5);
const port = intArg('port', 3330);
const dbPort = intArg('db-port', 54349);
const concurrency = intArg('concurrency', 50);
const timeoutMs = intArg('timeout', 5000);
const retries = intArg('retries', 3, 0);
const gradeTimeout = intArg('grade-timeout', 600);
const countQueries = hasFlag('count-queries');
const workerMode = argValue('worker') ?? 'separate';
if (workerMode !== 'in-process' && workerMode !== 'separate') throw new Error('--worker is in-process or separate');
const root = `localhost:${port}`;
const host = `${ORG}.${root}`;
const origin = `http://${host}`;

// ---------------------------------------------------------------------------------------------- types

type Latency = { n: number; p50: number; p95: number; p99: number; max: number; mean: number };
type RunResult = {
  db: DbKind;
  database: string;
  server: string;
  at: string;
  cpus: number;
  loadavg: { before: number[]; afterPhaseB: number[] };
  settings: { learners: number; duration: number; burst: number; burstAt: number; burstWindow: number; timeoutMs: number; retries: number; concurrency: number; poolMax: number; worker: string };
  setupSeconds: number;
  phaseA: { seconds: number; requests: number; start: Latency; save: Latency; errors: Record<string, number>; learnersFailed: number };
  phaseB: {
    seconds: number;
    maxScheduleLagMs: number;
    requests: number;
    retries: number;
    request: Latency;
    endToEnd: Latency;
    statuses: Record<string, number>;
    errors: Record<string, number>;
    acknowledged: number;
    unanswered: number;
    busiestSecond: number;
    cpuSeconds: { server: number; worker: number | null; postgres: number | null; loadGenerator: number };
  };
  verify: {
    committed: number;
    lost: number;
    committedNotAcknowledged: number;
    wrongKey: number;
    duplicateAttempts: number;
    duplicateSubmittedEvents: number;
    graded: number;
    secondsToAllGraded: number | null;
    gradedPerSecond: number | null;
    gradeCells: number;
    gradeCellsMissing: number;
    outboxPendingAtLastAck: number;
  };
  /** With --count-queries: SQL statements (and transactions) the server sent, per request. */
  statements?: { perPhaseARequest: { statements: number; transactions: number }; perSubmitIncludingGrading: { statements: number; transactions: number } };
  problems: string[];
};

// ---------------------------------------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

type Res = { status: number; body: string; ms: number };
class RequestTimeout extends Error {}

/** node:http to 127.0.0.1 with a Host header (Node does not resolve *.localhost); abandoned after timeout ms. */
function request(method: 'GET' | 'POST' | 'PUT', urlPath: string, opts: { cookie?: string; json?: unknown; timeout: number; host?: string }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers: Record<string, string> = { host: opts.host ?? host, 'user-agent': 'lectern-bench-exam', accept: 'application/json' };
    if (opts.cookie) headers.cookie = opts.cookie;
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (method !== 'GET') headers.origin = origin;
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t0 });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new RequestTimeout(`timeout after ${opts.timeout} ms`)), opts.timeout);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}

const errorKind = (e: unknown) => (e instanceof RequestTimeout ? 'timeout' : ((e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e))));
/** Set when the server exits before the run is over. */
let serverDied: string | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (n: number) => 500 * 2 ** n * (0.8 + 0.4 * Math.random());

function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const pct = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  return { n: s.length, p50: pct(50), p95: pct(95), p99: pct(99), max: s.length ? s[s.length - 1]! : NaN, mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

// ------------------------------------------------------------------------------------- the questions

type QuestionSpec = { type: string; prompt: string; points: number; definition: Record<string, unknown>; right: unknown; wrong: unknown };

const choice = (id: string, text: string, correct: boolean) => ({ id, text, correct });

/** 20 auto-graded questions, every type but essay, each with a right and a wrong answer. */
const QUESTIONS: QuestionSpec[] = [
  { type: 'single_choice', prompt: 'Which chart shows a trend over time best?', points: 2, definition: { options: [choice('line', 'A line chart', true), choice('pie', 'A pie chart', false), choice('table', 'A table', false)] }, right: 'line', wrong: 'pie' },
  { type: 'single_choice', prompt: 'Which measure is robust to outliers?', points: 1, definition: { options: [choice('mean', 'Mean', false), choice('median', 'Median', true), choice('range', 'Range', false), choice('max', 'Maximum', false)] }, right: 'median', wrong: 'mean' },
  { type: 'single_choice', prompt: 'What does SQL stand for?', points: 1, definition: { options: [choice('sql', 'Structured Query Language', true), choice('sql2', 'Simple Question List', false)] }, right: 'sql', wrong: 'sql2' },
  { type: 'multiple_answer', prompt: 'Which should you check when cleaning a table?', points: 2, definition: { options: [choice('blanks', 'Blank cells', true), choice('dupes', 'Duplicate rows', true), choice('font', 'The font', false)] }, right: ['blanks', 'dupes'], wrong: ['blanks', 'font'] },
  { type: 'multiple_answer', prompt: 'Which are prime numbers?', points: 2, definition: { options: [choice('p2', '2', true), choice('p3', '3', true), choice('p4', '4', false), choice('p5', '5', true)] }, right: ['p2', 'p3', 'p5'], wrong: ['p4'] },
  { type: 'multiple_answer', prompt: 'Which are chart types?', points: 1, definition: { options: [choice('bar', 'Bar', true), choice('scatter', 'Scatter', true), choice('csv', 'CSV', false)] }, right: ['bar', 'scatter'], wrong: ['csv', 'bar'] },
  { type: 'true_false', prompt: 'A correlation proves causation.', points: 1, definition: { correct: false }, right: false, wrong: true },
  { type: 'true_false', prompt: 'The median of 1, 2, 3 is 2.', points: 1, definition: { correct: true }, right: true, wrong: false },
  { type: 'true_false', prompt: 'A pie chart is best for time series.', points: 1, definition: { correct: false }, right: false, wrong: true },
  { type: 'short_answer', prompt: 'The middle value of a sorted list is the…', points: 1, definition: { accepted: ['median', 'the median'] }, right: 'Median', wrong: 'mean' },
  { type: 'short_answer', prompt: 'The most frequent value is the…', points: 1, definition: { accepted: ['mode'], ignorePunctuation: true }, right: 'mode.', wrong: 'median' },
  { type: 'short_answer', prompt: 'Name the language of databases (3 letters, capitals).', points: 1, definition: { accepted: ['SQL'], caseSensitive: true }, right: 'SQL', wrong: 'sql' },
  { type: 'numeric', prompt: 'What is the average of 2, 4 and 9?', points: 1, definition: { mode: 'exact', value: 5, tolerance: 0 }, right: 5, wrong: '4' },
  { type: 'numeric', prompt: 'Pi to two decimals?', points: 1, definition: { mode: 'exact', value: 3.14, tolerance: 0.005 }, right: '3,14', wrong: 3.2 },
  { type: 'numeric', prompt: 'A number between 10 and 20?', points: 1, definition: { mode: 'range', min: 10, max: 20 }, right: 15, wrong: 25 },
  {
    type: 'matching',
    prompt: 'Match each chart to its use.',
    points: 2,
    definition: { prompts: [{ id: 'p-bar', text: 'Bar chart', matchId: 'm-compare' }, { id: 'p-scatter', text: 'Scatter plot', matchId: 'm-relate' }], matches: [{ id: 'm-compare', text: 'Compare categories' }, { id: 'm-relate', text: 'Relate two measures' }, { id: 'm-decorate', text: 'Decorate' }] },
    right: { 'p-bar': 'm-compare', 'p-scatter': 'm-relate' },
    wrong: { 'p-bar': 'm-decorate' },
  },
  {
    type: 'matching',
    prompt: 'Match the capital to the country.',
    points: 3,
    definition: { prompts: [{ id: 'fr', text: 'France', matchId: 'paris' }, { id: 'de', text: 'Germany', matchId: 'berlin' }, { id: 'es', text: 'Spain', matchId: 'madrid' }], matches: [{ id: 'paris', text: 'Paris' }, { id: 'berlin', text: 'Berlin' }, { id: 'madrid', text: 'Madrid' }] },
    right: { fr: 'paris', de: 'berlin', es: 'madrid' },
    wrong: { fr: 'berlin', de: 'paris', es: 'madrid' },
  },
  {
    type: 'matching',
    prompt: 'Match the symbol to the element.',
    points: 2,
    definition: { prompts: [{ id: 'o', text: 'O', matchId: 'oxygen' }, { id: 'fe', text: 'Fe', matchId: 'iron' }], matches: [{ id: 'oxygen', text: 'Oxygen' }, { id: 'iron', text: 'Iron' }, { id: 'gold', text: 'Gold' }] },
    right: { o: 'oxygen', fe: 'iron' },
    wrong: { o: 'oxygen', fe: 'gold' },
  },
  {
    type: 'ordering',
    prompt: 'Put the steps of an analysis in order.',
    points: 2,
    definition: { items: [{ id: 'k3f9', text: 'Ask a question' }, { id: 'a81c', text: 'Collect and clean' }, { id: 'z02d', text: 'Analyse' }, { id: 'c7e5', text: 'Present' }] },
    right: ['k3f9', 'a81c', 'z02d', 'c7e5'],
    wrong: ['a81c', 'k3f9', 'z02d', 'c7e5'],
  },
  {
    type: 'ordering',
    prompt: 'Order from smallest to largest.',
    points: 1,
    definition: { items: [{ id: 'q1x', text: 'Byte' }, { id: 'w8r', text: 'Kilobyte' }, { id: 'm2t', text: 'Megabyte' }] },
    right: ['q1x', 'w8r', 'm2t'],
    wrong: ['m2t', 'w8r', 'q1x'],
  },
];

/** About 70 % of a learner's answers are right, varying by learner and question. */
const answerFor = (learner: number, q: number) => ((learner * 7 + q * 3) % 10 < 7 ? QUESTIONS[q]!.right : QUESTIONS[q]!.wrong);

// ------------------------------------------------------------------------------------------ set-up

type Fixture = { tenantId: string; courseSlug: string; itemId: string; questionIds: string[]; learners: { userId: string; email: string; cookie: string }[] };

/** Remove a previous run's organisation: the tenant row (its tables cascade), rows in tables without a foreign key to it, its users. */
async function dropExamOrganisation(ownerUrl: string): Promise<void> {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.begin(async (tx) => {
      const [t] = await tx<{ id: string }[]>`select id from tenants where slug = ${ORG}`;
      if (!t) return;
      // FORCE RLS applies to a non-superuser owner too: make the tenant's rows visible to this transaction.
      await tx`select set_config('app.tenant_id', ${t.id}, true)`;
      // Answers first: their key to questions is NO ACTION, checked while the cascade removes the questions.
      await tx`delete from attempt_answers where tenant_id = ${t.id}`;
      await tx`delete from tenants where id = ${t.id}`;
      const tables = await tx<{ table_name: string }[]>`
        select c.table_name from information_schema.columns c
        join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
        where c.table_schema = 'public' and c.column_name = 'tenant_id' and tb.table_type = 'BASE TABLE'`;
      for (const { table_name } of tables) await tx.unsafe(`delete from "${table_name.replace(/"/g, '""')}" where tenant_id = $1`, [t.id]);
      await tx`delete from users where email like ${`%@${ORG}.test`}`;
    });
  } finally {
    await owner.end({ timeout: 5 });
  }
}

async function setUp(ownerUrl: string, authSecret: string, log: (line: string) => void): Promise<Fixture> {
  // Imported here: lib/env caches the environment on first use, which must be this run's.
  const { enterTenant, schema, withGlobal, withTenant } = await import('@/db/client');
  const { createQuestion } = await import('@/lib/assessment/bank');
  const { createCourse, setCourseStatus } = await import('@/lib/courses/service');
  const { addItem, addModule } = await import('@/lib/courses/structure');
  type Ctx = import('@/lib/auth/context').MemberContext;

  const t0 = Date.now();
  const instructor = await withGlobal(async (tx) => {
    const [tenant] = await tx.insert(schema.tenants).values({ slug: ORG, name: 'Exam Day University' }).returning({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name });
    const [user] = await tx.insert(schema.users).values({ email: `instructor@${ORG}.test`, name: 'Ines Instructor' }).returning();
    await enterTenant(tx, tenant!.id);
    await tx.insert(schema.tenantSettings).values({ tenantId: tenant!.id, displayName: 'Exam Day University' });
    const [m] = await tx.insert(schema.memberships).values({ tenantId: tenant!.id, userId: user!.id, role: 'instructor' }).returning();
    return { tenant: tenant!, user: { id: user!.id, email: user!.email, name: user!.name }, membershipId: m!.id, role: 'instructor' } satisfies Ctx;
  });
  const tenantId = instructor.tenant.id;
  const as = <T>(fn: (tx: import('@/db/client').Tx) => Promise<T>) => withTenant(tenantId, fn);

  const course = await as((tx) => createCourse(tx, instructor, { title: 'Statistics Final Exam' }));
  const questionIds: string[] = [];
  for (const q of QUESTIONS) {
    const row = await as((tx) => createQuestion(tx, instructor, course.id, { type: q.type, promptHtml: `<p>${q.prompt}</p>`, points: q.points, tags: ['final'], definition: q.definition }));
    questionIds.push(row.id);
  }
  const mod = await as((tx) => addModule(tx, instructor, course.id, { title: 'Final exam' }));
  const item = await as((tx) =>
    addItem(tx, instructor, mod.id, 'quiz', {
      title: 'Final exam',
      required: 'on',
      questionIds: questionIds.join(','),
      shuffleOptions: 'on',
      attemptsAllowed: '1',
      timeLimitMinutes: '30',
      showScore: 'immediately',
      showAnswers: 'immediately',
    }),
  );
  await as((tx) => setCourseStatus(tx, instructor, course.id, 'published'));
  log(`  organisation ${ORG}, course /${course.slug} with a 20-question quiz (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // Learners: users, memberships and active enrolments, one statement each (no password: sessions are minted).
  const width = String(learners).length;
  await withGlobal(async (tx) => {
    await tx.execute(sql`select set_config('synchronous_commit', 'off', true)`);
    await tx.execute(sql`
      insert into users (name, email)
      select 'Learner ' || g, 'learner' || lpad(g::text, ${width}::int, '0') || ${`@${ORG}.test`}
      from generate_series(1, ${learners}::int) g`);
    await enterTenant(tx, tenantId);
    await tx.execute(sql`
      insert into memberships (tenant_id, user_id, role)
      select ${tenantId}, u.id, 'learner' from users u where u.email like ${`learner%@${ORG}.test`}`);
    await tx.execute(sql`
      insert into enrolments (tenant_id, course_id, user_id, role, status, enrolled_at)
      select ${tenantId}, ${course.id}, m.user_id, 'learner', 'active', now() - interval '30 days'
      from memberships m where m.tenant_id = ${tenantId} and m.role = 'learner'`);
    await tx.execute(sql`update courses set seats_taken = ${learners} where id = ${course.id}`);
  });
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe('vacuum (analyze) users, memberships, enrolments, courses, course_items, questions, quiz_attempts, attempt_answers, outbox, grades');
  } finally {
    await owner.end({ timeout: 5 });
  }
  const rows = await withGlobal((tx) =>
    tx.execute<{ id: string; email: string; name: string }>(sql`select id, email, name from users where email like ${`learner%@${ORG}.test`} order by email`),
  );
  // The session cookie Auth.js would set at sign-in (lib/auth/index.ts: sub, tenantId, authAt).
  const authAt = Math.floor(Date.now() / 1000);
  const list = await Promise.all(
    rows.map(async (u) => {
      const token = await encode({ token: { sub: u.id, name: u.name, email: u.email, tenantId, authAt }, secret: authSecret, salt: SESSION_COOKIE, maxAge: 7 * 24 * 3600 });
      return { userId: u.id, email: u.email, cookie: `${SESSION_COOKIE}=${token}` };
    }),
  );
  log(`  ${list.length.toLocaleString('en')} learners enrolled, session cookies minted (${((Date.now() - t0) / 1000).toFixed(1)} s in all)`);
  return { tenantId, courseSlug: course.slug, itemId: item.id, questionIds, learners: list };
}

// --------------------------------------------------------------------------------------- processes

/** CPU seconds (user + system) of a process and all its descendants, from /proc (Linux only; 0 elsewhere). */
function treeCpuSeconds(rootPid: number): number {
  if (!existsSync('/proc')) return 0;
  const tick = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    const s = stats.get(pid);
    if (!s) return;
    total += s.cpu;
    for (const [p, c] of stats) if (c.ppid === pid) walk(p);
  };
  walk(rootPid);
  return total;
}

function ppidOf(pid: number): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

async function waitForServer(child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await request('GET', '/api/health', { timeout: 2000, host: root })).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(300);
  }
  throw new Error(`next start did not answer /api/health within 90 s; see ${logFile}`);
}

/** The server's running statement counts (--count-queries), or null. */
async function statementCounts(): Promise<{ statements: number; transactions: number } | null> {
  if (!countQueries) return null;
  const res = await request('GET', '/api/debug/queries', { timeout: 10_000, host: root });
  return res.status === 200 ? (JSON.parse(res.body) as { statements: number; transactions: number }) : null;
}

// ------------------------------------------------------------------------------------------- phases

type Learner = Fixture['learners'][number] & { n: number; attemptId?: string; submitKey?: string };

async function phaseA(fx: Fixture, list: Learner[]): Promise<RunResult['phaseA']> {
  const base = `/learn/${fx.courseSlug}/${fx.itemId}/quiz`;
  const startMs: number[] = [];
  const saveMs: number[] = [];
  const errors: Record<string, number> = {};
  let requests = 0;
  let failed = 0;
  let done = 0;
  const t0 = performance.now();
  /** A request with retries (PUT and start are idempotent); throws after the last try. */
  const call = async (method: 'POST' | 'PUT', p: string, cookie: string, json: unknown, into: number[]): Promise<Res> => {
    for (let i = 0; ; i++) {
      requests++;
      try {
        const res = await request(method, p, { cookie, json, timeout: 30_000 });
        if (res.status >= 200 && res.status < 300) {
          into.push(res.ms);
          return res;
        }
        bump(errors, `HTTP ${res.status}`);
        if (res.status < 500 || i >= retries) throw new Error(`${method} ${p} answered ${res.status}: ${res.body.slice(0, 200)}`);
      } catch (e) {
        if (!(e instanceof RequestTimeout) && (e as NodeJS.ErrnoException).code === undefined) throw e;
        bump(errors, errorKind(e));
        if (i >= retries) throw e;
      }
      await sleep(backoff(i));
    }
  };
  const queue = [...list];
  let firstProblem: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let l = queue.shift(); l; l = queue.shift()) {
        try {
          const started = await call('POST', base, l.cookie, undefined, startMs);
          const view = JSON.parse(started.body) as { attempt: { id: string; status: string }; questions: { id: string }[] };
          if (view.questions.length !== QUESTIONS.length) throw new Error(`attempt has ${view.questions.length} questions, expected ${QUESTIONS.length}`);
          l.attemptId = view.attempt.id;
          for (const q of view.questions) {
            const k = fx.questionIds.indexOf(q.id);
            await call('PUT', `${base}/${l.attemptId}`, l.cookie, { questionId: q.id, answer: answerFor(l.n, k) }, saveMs);
          }
        } catch (e) {
          failed++;
          l.attemptId = undefined;
          firstProblem ??= e instanceof Error ? e.message : String(e);
        }
        if (++done % 250 === 0) process.stdout.write(`\r  phase A: ${done.toLocaleString('en')}/${list.length.toLocaleString('en')} learners started and answered`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(`\r  phase A: ${list.length - failed}/${list.length} learners started and saved 20 answers in ${seconds.toFixed(1)} s (${requests.toLocaleString('en')} requests, ${(requests / seconds).toFixed(0)}/s)`);
  if (firstProblem) console.log(`  phase A: ${failed} learners failed; first: ${firstProblem}`);
  return { seconds, requests, start: latency(startMs), save: latency(saveMs), errors, learnersFailed: failed };
}

type SubmitOutcome = { acked: boolean; ackAt?: number; endToEndMs?: number; tries: number };

async function phaseB(fx: Fixture, list: Learner[]) {
  const base = `/learn/${fx.courseSlug}/${fx.itemId}/quiz`;
  const ready = list.filter((l) => l.attemptId);
  // The schedule: the rest evenly over the run, the burst within its window; learners in a shuffled order.
  const burstCount = Math.min(burst, ready.length);
  const even = ready.length - burstCount;
  const offsets = [
    ...Array.from({ length: even }, (_, k) => (k * duration * 1000) / Math.max(1, even)),
    ...Array.from({ length: burstCount }, (_, k) => burstAt * 1000 + (k * burstWindow * 1000) / burstCount),
  ].sort((a, b) => a - b);
  const order = [...ready];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const requestMs: number[] = [];
  const endToEnd: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const perSecond = new Map<number, number>();
  let requests = 0;
  let retried = 0;
  let maxLag = 0;
  const outcomes = new Map<Learner, SubmitOutcome>();

  const submit = async (l: Learner, scheduled: number, t0: number): Promise<void> => {
    const startedAt = performance.now();
    maxLag = Math.max(maxLag, startedAt - t0 - scheduled);
    l.submitKey = `exam-${l.n}-${randomBytes(6).toString('hex')}`;
    const out: SubmitOutcome = { acked: false, tries: 0 };
    outcomes.set(l, out);
    for (let i = 0; i <= retries; i++) {
      if (i > 0) retried++;
      out.tries++;
      requests++;
      const sec = Math.floor((performance.now() - t0) / 1000);
      perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
      const sent = performance.now();
      try {
        const res = await request('POST', `${base}/${l.attemptId}`, { cookie: l.cookie, json: { submitKey: l.submitKey }, timeout: timeoutMs });
        requestMs.push(res.ms);
        bump(statuses, String(res.status));
        if (res.status >= 200 && res.status < 300) {
          const status = (JSON.parse(res.body || '{}') as { attempt?: { status?: string } }).attempt?.status;
          if (status !== 'submitted' && status !== 'graded') bump(errors, `acknowledged with attempt status ${status}`);
          out.acked = true;
          out.ackAt = Date.now();
          out.endToEndMs = performance.now() - startedAt;
          endToEnd.push(out.endToEndMs);
          return;
        }
        bump(errors, `HTTP ${res.status}`);
        if (res.status < 500 && res.status !== 408 && res.status !== 429) return; // refused: retrying will not help
      } catch (e) {
        requestMs.push(performance.now() - sent);
        bump(errors, errorKind(e));
      }
      if (i < retries) await sleep(backoff(i));
    }
  };

  console.log(`  phase B: ${ready.length.toLocaleString('en')} submits over ${duration} s (${burstCount} of them in ${burstWindow} s from ${burstAt} s), timeout ${timeoutMs} ms, ${retries} retries…`);
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let started = 0;
    order.forEach((l, i) => {
      const at = offsets[i]!;
      setTimeout(() => {
        inFlight.push(submit(l, at, t0));
        if (++started === order.length) resolve();
      }, at);
    });
    if (!order.length) resolve();
  });
  const progress = setInterval(() => process.stdout.write(`\r  phase B: ${endToEnd.length.toLocaleString('en')} acknowledged, ${requests.toLocaleString('en')} requests…`), 2000);
  await Promise.all(inFlight);
  clearInterval(progress);
  const seconds = (performance.now() - t0) / 1000;
  const acked = [...outcomes.values()].filter((o) => o.acked);
  console.log(`\r  phase B: ${acked.length.toLocaleString('en')}/${ready.length.toLocaleString('en')} acknowledged in ${seconds.toFixed(1)} s, ${requests} requests (${retried} retries)        `);
  return {
    outcomes,
    lastAck: Math.max(0, ...acked.map((o) => o.ackAt!)),
    result: {
      seconds,
      maxScheduleLagMs: maxLag,
      requests,
      retries: retried,
      request: latency(requestMs),
      endToEnd: latency(endToEnd),
      statuses,
      errors,
      acknowledged: acked.length,
      unanswered: ready.length - acked.length,
      busiestSecond: Math.max(0, ...perSecond.values()),
    },
  };
}

// ------------------------------------------------------------------------------------------- verify

async function verify(fx: Fixture, list: Learner[], outcomes: Map<Learner, SubmitOutcome>, lastAck: number, pendingAtLastAck: number): Promise<RunResult['verify']> {
  const { withTenant } = await import('@/db/client');
  // Grading first: wait until every closed attempt is graded (the embedded worker grades in the server process).
  // Closed attempts are recounted each time: a request the client abandoned may still be committing.
  const deadline = Date.now() + gradeTimeout * 1000;
  let g: { closed: number; graded: number; first: Date | null; last: Date | null } | undefined;
  for (;;) {
    [g] = await withTenant(fx.tenantId, (tx) =>
      tx.execute<{ closed: number; graded: number; first: Date | null; last: Date | null }>(sql`
        select count(*) filter (where status <> 'in_progress')::int as closed, count(*) filter (where status = 'graded')::int as graded,
               min(graded_at) as first, max(graded_at) as last
        from quiz_attempts where item_id = ${fx.itemId}`),
    );
    process.stdout.write(`\r  grading: ${g!.graded.toLocaleString('en')}/${g!.closed.toLocaleString('en')} graded…`);
    if (g!.graded >= g!.closed || Date.now() > deadline || serverDied) break;
    await sleep(500);
  }
  const { closed, graded } = g!;
  const firstGraded = g!.first ? new Date(g!.first).getTime() : null;
  const lastGraded = g!.last ? new Date(g!.last).getTime() : null;
  console.log(`\r  grading: ${graded.toLocaleString('en')}/${closed.toLocaleString('en')} graded${graded < closed ? ` — gave up after ${gradeTimeout} s` : ''}            `);

  // Then the final state: every attempt of the quiz, with its learner.
  const rows = [
    ...(await withTenant(fx.tenantId, (tx) =>
      tx.execute<{ user_id: string; id: string; status: string; submitted_at: Date | null; submit_key: string | null }>(sql`
        select e.user_id, a.id, a.status, a.submitted_at, a.submit_key
        from quiz_attempts a join enrolments e on e.tenant_id = a.tenant_id and e.id = a.enrolment_id
        where a.item_id = ${fx.itemId}`),
    )),
  ];
  const byUser = new Map<string, typeof rows>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  const duplicateAttempts = [...byUser.values()].filter((rs) => rs.length > 1).length;
  let committed = 0;
  let lost = 0;
  let committedNotAcknowledged = 0;
  let wrongKey = 0;
  for (const l of list) {
    if (!l.attemptId) continue;
    const mine = (byUser.get(l.userId) ?? []).find((r) => r.id === l.attemptId);
    const isCommitted = !!mine && (mine.status === 'submitted' || mine.status === 'graded') && mine.submitted_at !== null;
    if (isCommitted) committed++;
    if (isCommitted && mine.submit_key !== l.submitKey) wrongKey++;
    const acked = outcomes.get(l)?.acked ?? false;
    if (acked && !isCommitted) lost++;
    if (!acked && isCommitted) committedNotAcknowledged++;
  }
  const [checks] = await withTenant(fx.tenantId, (tx) =>
    tx.execute<{ events: number; cells: number; missing: number }>(sql`
      select (select count(*)::int from (
                select payload->>'attemptId' from outbox where name = 'lectern/attempt.submitted.v1' group by 1 having count(*) > 1) d) as events,
             (select count(*)::int from grades where item_id = ${fx.itemId}) as cells,
             (select count(*)::int from quiz_attempts a where a.item_id = ${fx.itemId} and a.status = 'graded'
                and not exists (select 1 from grades g where g.tenant_id = a.tenant_id and g.item_id = a.item_id and g.enrolment_id = a.enrolment_id and g.attempt_id = a.id)) as missing`),
  );
  return {
    committed,
    lost,
    committedNotAcknowledged,
    wrongKey,
    duplicateAttempts,
    duplicateSubmittedEvents: checks!.events,
    graded,
    secondsToAllGraded: graded >= closed && lastGraded !== null && lastAck ? Math.max(0, (lastGraded - lastAck) / 1000) : null,
    gradedPerSecond: graded > 1 && firstGraded !== null && lastGraded !== null && lastGraded > firstGraded ? graded / ((lastGraded - firstGraded) / 1000) : null,
    gradeCells: checks!.cells,
    gradeCellsMissing: checks!.missing,
    outboxPendingAtLastAck: pendingAtLastAck,
  };
}

// ---------------------------------------------------------------------------------------- one run

async function openDatabase(kind: DbKind, log: (line: string) => void): Promise<{ url: string; label: string; stop: () => Promise<void> }> {
  if (kind === 'postgres') {
    const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.slice(1));
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
    try {
      if (!(await admin`select 1 from pg_database where datname = ${name}`).length) {
        await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
        log(`  created database ${name}`);
      }
    } finally {
      await admin.end({ timeout: 5 });
    }
    return { url, label: `${target.host}${target.pathname}`, stop: async () => {} };
  }
  const { ensureDatabase, startEmbeddedPostgres } = await import('@/db/embedded');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-exam-'));
  chmodSync(dir, 0o755); // reachable by the postgres OS user when run as root
  process.env.LECTERN_APP_DB_PASSWORD = randomBytes(24).toString('base64url');
  const server = await startEmbeddedPostgres({ baseDir: dir, port: dbPort, log });
  const url = await ensureDatabase(server.url, 'lectern_bench_exam');
  log(`  embedded PostgreSQL on 127.0.0.1:${dbPort}, data in ${server.dataDir}`);
  return {
    url,
    label: `embedded 127.0.0.1:${dbPort}`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runOne(kind: DbKind): Promise<RunResult> {
  const log = (line: string) => console.log(line);
  const problems: string[] = [];
  console.log(`\n=== ${kind} ===`);
  const database = await openDatabase(kind, log);
  let child: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const stopServer = async () => {
    for (const c of [child, worker]) {
      if (c && c.exitCode === null && c.signalCode === null) {
        c.removeAllListeners('exit');
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    }
  };
  const onSignal = () => void stopServer().then(database.stop).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    process.env.PORT = String(port);
    process.env.LECTERN_ROOT_DOMAIN = root;
    process.env.AUTH_SECRET = randomBytes(32).toString('base64url');
    const env = await prepareToolEnv(database.url, { embedded: kind === 'embedded' });
    const { runMigrations } = await import('@/db/migrate');
    await runMigrations(database.url, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
    const probe = postgres(database.url, { max: 1, onnotice: () => {} });
    const [version] = await probe<{ v: string }[]>`select current_setting('server_version') as v`.finally(() => probe.end({ timeout: 5 }));
    if (kind === 'postgres') await dropExamOrganisation(database.url);
    const tSetup = Date.now();
    const fx = await setUp(database.url, env.AUTH_SECRET, log);
    const setupSeconds = (Date.now() - tSetup) / 1000;

    if (!(await portFree(port))) throw new Error(`port ${port} is in use: stop what listens there or pass --port`);
    const logFile = path.join(os.tmpdir(), `lectern-bench-exam-${kind}-${port}.log`);
    const logFd = openSync(logFile, 'w');
    const serverEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
    // The embedded worker grades in the server process (--worker in-process), or in `npm run worker` beside a
    // server started with LECTERN_WORKER=0 (--worker separate); no Inngest either way.
    for (const k of ['LECTERN_WORKER', 'INNGEST_DEV', 'INNGEST_SIGNING_KEY', 'INNGEST_EVENT_KEY', 'INNGEST_BASE_URL', 'LECTERN_QUERY_COUNTER']) delete serverEnv[k];
    if (countQueries) serverEnv.LECTERN_QUERY_COUNTER = '1';
    if (workerMode === 'separate') {
      const workerLog = path.join(os.tmpdir(), `lectern-bench-exam-${kind}-${port}-worker.log`);
      const workerFd = openSync(workerLog, 'w');
      worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { stdio: ['ignore', workerFd, workerFd], env: { ...serverEnv, NODE_ENV: 'production' } });
      closeSync(workerFd);
      // Grading can wait a moment, a submit cannot: on a machine shared with the server the worker runs niced.
      os.setPriority(worker.pid!, 10);
      worker.once('exit', (code, signal) => {
        serverDied = `the worker exited during the run (${signal ?? `exit ${code}`}); see ${workerLog}`;
        console.error(`\n  ${serverDied}`);
      });
      console.log(`  npm run worker, niced (log: ${workerLog})`);
      serverEnv.LECTERN_WORKER = '0';
    }
    const profDir = argValue('cpu-prof');
    const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : [];
    child = spawn(process.execPath, [...nodeArgs, NEXT_BIN, 'start', '-p', String(port)], { stdio: ['ignore', logFd, logFd], env: serverEnv });
    closeSync(logFd);
    console.log(`  next start on ${root} (log: ${logFile})…`);
    // A server that dies mid-run (a crash, or killed from outside on a shared machine) voids the figures: say so.
    child.once('exit', (code, signal) => {
      serverDied = `next start exited during the run (${signal ?? `exit ${code}`}); see ${logFile}`;
      console.error(`\n  ${serverDied}`);
    });
    await waitForServer(child, logFile);

    // One minted cookie must be a session the app accepts, or every request below is a 401.
    const session = await request('GET', '/api/auth/session', { cookie: fx.learners[0]!.cookie, timeout: 10_000 });
    const who = (JSON.parse(session.body || 'null') as { user?: { id?: string }; tenantId?: string } | null) ?? {};
    if (who.user?.id !== fx.learners[0]!.userId || who.tenantId !== fx.tenantId) throw new Error(`the minted session cookie was not accepted (${session.status} ${session.body.slice(0, 200)})`);

    const list: Learner[] = fx.learners.map((l, n) => ({ ...l, n }));
    const loadBefore = os.loadavg();
    const q0 = await statementCounts();
    const a = await phaseA(fx, list);
    const q1 = await statementCounts();
    if (a.learnersFailed) problems.push(`${a.learnersFailed} learners could not start or answer (phase A)`);
    await sleep(2000); // let the outbox loop settle before the measured phase

    const { withTenant } = await import('@/db/client');
    const pgPid = await withTenant(fx.tenantId, async (tx) => (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))[0]!.pid);
    const postmaster = ppidOf(pgPid);
    const cpu0 = { server: treeCpuSeconds(child.pid!), worker: worker ? treeCpuSeconds(worker.pid!) : null, pg: postmaster ? treeCpuSeconds(postmaster) : null, self: process.cpuUsage() };
    const monoStart = process.hrtime.bigint() / 1000n;
    const b = await phaseB(fx, list);
    // With --cpu-prof: the profile's timestamps are the same monotonic clock (µs), to cut phase B out of it.
    if (profDir) console.log(`  phase B on the monotonic clock: ${monoStart}–${process.hrtime.bigint() / 1000n} µs`);
    const self = process.cpuUsage(cpu0.self);
    const cpu = {
      server: treeCpuSeconds(child.pid!) - cpu0.server,
      worker: worker && cpu0.worker !== null ? treeCpuSeconds(worker.pid!) - cpu0.worker : null,
      postgres: postmaster && cpu0.pg !== null ? treeCpuSeconds(postmaster) - cpu0.pg : null,
      loadGenerator: (self.user + self.system) / 1e6,
    };
    const loadAfter = os.loadavg();
    const [pending] = await withTenant(fx.tenantId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from outbox where sent_at is null`));
    const v = await verify(fx, list, b.outcomes, b.lastAck, pending!.n);
    const q2 = await statementCounts();
    const statements =
      q0 && q1 && q2
        ? {
            perPhaseARequest: { statements: (q1.statements - q0.statements) / a.requests, transactions: (q1.transactions - q0.transactions) / a.requests },
            perSubmitIncludingGrading: { statements: (q2.statements - q1.statements) / b.result.acknowledged, transactions: (q2.transactions - q1.transactions) / b.result.acknowledged },
          }
        : undefined;
    if (statements) console.log(`  statements (transactions): ${statements.perPhaseARequest.statements.toFixed(1)} (${statements.perPhaseARequest.transactions.toFixed(1)}) per phase-A request; ${statements.perSubmitIncludingGrading.statements.toFixed(1)} (${statements.perSubmitIncludingGrading.transactions.toFixed(1)}) per submit, grading included`);

    if (serverDied) problems.push(serverDied);
    if (v.lost) problems.push(`${v.lost} acknowledged submits were not committed`);
    if (v.duplicateAttempts) problems.push(`${v.duplicateAttempts} enrolments have more than one attempt`);
    if (v.duplicateSubmittedEvents) problems.push(`${v.duplicateSubmittedEvents} attempts have more than one attempt.submitted event`);
    if (v.wrongKey) problems.push(`${v.wrongKey} committed attempts carry another submit key`);
    if (b.result.unanswered) problems.push(`${b.result.unanswered} submits were never acknowledged`);
    if (v.graded < v.committed) problems.push(`${v.committed - v.graded} committed attempts were not graded within ${gradeTimeout} s`);
    if (v.gradeCells !== v.graded || v.gradeCellsMissing) problems.push(`gradebook: ${v.gradeCells} cells for ${v.graded} graded attempts (${v.gradeCellsMissing} graded attempts without their cell)`);

    const { env: appEnv } = await import('@/lib/env');
    return {
      db: kind,
      database: database.label,
      server: `PostgreSQL ${version!.v}`,
      at: new Date().toISOString(),
      cpus: os.cpus().length,
      loadavg: { before: loadBefore, afterPhaseB: loadAfter },
      settings: { learners, duration, burst, burstAt, burstWindow, timeoutMs, retries, concurrency, poolMax: appEnv().DB_POOL_MAX, worker: workerMode },
      setupSeconds,
      phaseA: a,
      phaseB: { ...b.result, cpuSeconds: cpu },
      verify: v,
      statements,
      problems,
    };
  } finally {
    const { closeDb } = await import('@/db/client');
    await closeDb();
    await stopServer();
    await database.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// ------------------------------------------------------------------------------------------- report

const ms = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en', { maximumFractionDigits: 0 }));
const num = (n: number | null | undefined, d = 1) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
const kinds = (m: Record<string, number>) => (Object.keys(m).length ? Object.entries(m).map(([k, n]) => `${k} × ${n}`).join(', ') : 'none');

function printReport(results: RunResult[]): void {
  const rows: [string, ...string[]][] = [
    ['database', ...results.map((r) => `${r.db} (${r.server})`)],
    ['load average before / after B', ...results.map((r) => `${r.loadavg.before.map((x) => x.toFixed(2)).join(' ')} / ${r.loadavg.afterPhaseB.map((x) => x.toFixed(2)).join(' ')}`)],
    ['set-up', ...results.map((r) => `${num(r.setupSeconds)} s`)],
    ['A: start p50/p95/p99 ms', ...results.map((r) => `${ms(r.phaseA.start.p50)} / ${ms(r.phaseA.start.p95)} / ${ms(r.phaseA.start.p99)}`)],
    ['A: autosave p50/p95/p99 ms', ...results.map((r) => `${ms(r.phaseA.save.p50)} / ${ms(r.phaseA.save.p95)} / ${ms(r.phaseA.save.p99)}`)],
    ['A: requests, time, errors', ...results.map((r) => `${r.phaseA.requests.toLocaleString('en')} in ${num(r.phaseA.seconds)} s; ${kinds(r.phaseA.errors)}`)],
    ['B: submit p50/p95/p99/max ms', ...results.map((r) => `${ms(r.phaseB.request.p50)} / ${ms(r.phaseB.request.p95)} / ${ms(r.phaseB.request.p99)} / ${ms(r.phaseB.request.max)}`)],
    ['B: end-to-end p50/p95/p99/max ms', ...results.map((r) => `${ms(r.phaseB.endToEnd.p50)} / ${ms(r.phaseB.endToEnd.p95)} / ${ms(r.phaseB.endToEnd.p99)} / ${ms(r.phaseB.endToEnd.max)}`)],
    ['B: requests (retries)', ...results.map((r) => `${r.phaseB.requests.toLocaleString('en')} (${r.phaseB.retries})`)],
    ['B: statuses', ...results.map((r) => kinds(r.phaseB.statuses))],
    ['B: errors', ...results.map((r) => kinds(r.phaseB.errors))],
    ['B: busiest second, schedule lag', ...results.map((r) => `${r.phaseB.busiestSecond} req/s, ${ms(r.phaseB.maxScheduleLagMs)} ms max lag`)],
    ['B: CPU s server / worker / Postgres / bench', ...results.map((r) => `${num(r.phaseB.cpuSeconds.server)} / ${r.phaseB.cpuSeconds.worker === null ? 'in server' : num(r.phaseB.cpuSeconds.worker)} / ${num(r.phaseB.cpuSeconds.postgres)} / ${num(r.phaseB.cpuSeconds.loadGenerator)}`)],
    ['acknowledged / committed', ...results.map((r) => `${r.phaseB.acknowledged.toLocaleString('en')} / ${r.verify.committed.toLocaleString('en')}`)],
    ['lost / committed not acked', ...results.map((r) => `${r.verify.lost} / ${r.verify.committedNotAcknowledged}`)],
    ['duplicate attempts / events', ...results.map((r) => `${r.verify.duplicateAttempts} / ${r.verify.duplicateSubmittedEvents}`)],
    ['outbox pending at last ack', ...results.map((r) => r.verify.outboxPendingAtLastAck.toLocaleString('en'))],
    ['graded; last ack → all graded', ...results.map((r) => `${r.verify.graded.toLocaleString('en')}; ${r.verify.secondsToAllGraded === null ? 'not all graded' : `${num(r.verify.secondsToAllGraded)} s`}`)],
    ['grading throughput', ...results.map((r) => `${num(r.verify.gradedPerSecond)} attempts/s`)],
    ['gradebook cells (missing)', ...results.map((r) => `${r.verify.gradeCells.toLocaleString('en')} (${r.verify.gradeCellsMissing})`)],
    ['problems', ...results.map((r) => (r.problems.length ? r.problems.join('; ') : 'none'))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const s = results[0]!.settings;
  console.log(
    `\nExam day: ${s.learners.toLocaleString('en')} learners, 20-answer quiz; submits over ${s.duration} s incl. ${s.burst} in ${s.burstWindow} s from ${s.burstAt} s; ` +
      `timeout ${s.timeoutMs} ms, ${s.retries} retries; next start on ${root}, DB_POOL_MAX ${s.poolMax}, worker ${s.worker}, ${results[0]!.cpus} CPUs\n`,
  );
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  console.log('\nsubmit = each HTTP request (a timed-out one counts at its timeout); end-to-end = from the scheduled submit to its acknowledgement, retries and backoff included.');
}

// --------------------------------------------------------------------------------------------- main

async function child(kind: DbKind, out: string): Promise<number> {
  const r = await runOne(kind);
  writeFileSync(out, JSON.stringify(r, null, 2));
  return 0;
}

async function main(): Promise<number> {
  const internal = argValue('child') as DbKind | undefined;
  if (internal) return child(internal, argValue('result-file')!);

  const choice = argValue('db') ?? 'both';
  if (!['embedded', 'postgres', 'both'].includes(choice)) throw new Error(`--db must be embedded, postgres or both, got ${choice}`);
  const kinds: DbKind[] = choice === 'both' ? ['embedded', 'postgres'] : [choice as DbKind];
  if (burst > learners) throw new Error('--burst cannot exceed --learners');
  if (burstAt + burstWindow > duration) throw new Error('the burst must end within --duration');
  if (!hasFlag('no-build')) buildIfStale();

  const results: RunResult[] = [];
  let failed = false;
  for (const kind of kinds) {
    const out = path.join(os.tmpdir(), `lectern-bench-exam-${process.pid}-${kind}.json`);
    const argv = process.argv.slice(2).filter((a, i, all) => a !== '--db' && all[i - 1] !== '--db' && !a.startsWith('--db='));
    const code = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv, '--child', kind, '--result-file', out, '--no-build'], { stdio: 'inherit', env: process.env });
      c.on('exit', (n) => resolve(n ?? 1));
    });
    if (code !== 0 || !existsSync(out)) {
      console.error(`The ${kind} run failed (exit ${code}).`);
      failed = true;
      continue;
    }
    results.push(JSON.parse(readFileSync(out, 'utf8')) as RunResult);
    rmSync(out, { force: true });
  }
  if (results.length) printReport(results);
  const jsonFile = argValue('json');
  if (jsonFile) {
    writeFileSync(jsonFile, JSON.stringify({ at: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().length, results }, null, 2));
    console.log(`Figures written to ${jsonFile}.`);
  }
  const bad = results.filter((r) => r.problems.length);
  if (bad.length) console.error(`\nFAILED: ${bad.map((r) => `${r.db}: ${r.problems.join('; ')}`).join(' | ')}`);
  return failed || bad.length ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
