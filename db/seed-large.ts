/**
 * A large organisation for benchmarks (`npm run seed:large`): by default `big` ("Big University") with
 * 100,000 learners, 50 instructors, an owner, 500 courses (3–5 modules × 3–5 items), 1,000,000 learner
 * enrolments, one instructor enrolment per course and ~2–3 M item_progress rows.
 *
 * Rows are generated set-based in SQL (insert … select … generate_series), in batches of learners, each
 * batch one transaction running as the app role with the tenant set (withGlobal → enterTenant), so row-level
 * security checks every row written, exactly as for the app. Only ANALYZE and the reset's final delete
 * of the tenant row use the owner connection.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { hashPassword } from '@/lib/auth/password';
import { grantPlan } from '@/lib/billing/service';
import { enterTenant, schema, withGlobal, withTenant, type Tx } from './client';
import { DEMO_PASSWORD } from './seed';

export type LargeSeedOptions = {
  slug: string;
  name: string;
  learners: number;
  courses: number;
  /** Courses per learner (distinct); the first course of the outline order gets every fifth learner as well. */
  perLearner: number;
  instructors: number;
  /** Learners per transaction. */
  batchSize: number;
  /** Batches in flight at once (each on its own connection). */
  jobs: number;
};

export const BIG_ORG: LargeSeedOptions = {
  slug: 'big',
  name: 'Big University',
  learners: 100_000,
  courses: 500,
  perLearner: 10,
  instructors: 50,
  batchSize: 5_000,
  jobs: 2,
};

/** Tables the large seed fills, in the order a reset empties them (children first). */
export const SEEDED_TABLES = ['item_progress', 'enrolments', 'course_items', 'course_modules', 'courses', 'memberships'] as const;

const SUBJECTS: [string, string][] = [
  ['Data Analysis', 'Technology'],
  ['Machine Learning', 'Technology'],
  ['Web Development', 'Technology'],
  ['Databases', 'Technology'],
  ['Cloud Computing', 'Technology'],
  ['Cybersecurity', 'Technology'],
  ['Data Visualisation', 'Technology'],
  ['Statistics', 'Science'],
  ['Linear Algebra', 'Science'],
  ['Organic Chemistry', 'Science'],
  ['Project Management', 'Business'],
  ['Accounting', 'Business'],
  ['Marketing', 'Business'],
  ['Leadership', 'Business'],
  ['Spanish', 'Languages'],
  ['German', 'Languages'],
  ['Creative Writing', 'Arts'],
  ['Photography', 'Arts'],
  ['UX Design', 'Arts'],
  ['Nutrition', 'Health'],
];
const QUALIFIERS = [
  'Introduction to', 'Foundations of', 'Applied', 'Advanced', 'Practical', 'Essentials of', 'Modern', 'Hands-on',
  'Principles of', 'Topics in', 'Fundamentals of', 'Mastering', 'Exploring', 'A Short Course in', 'Professional',
  'Intermediate', 'Workshop:', 'Case Studies in', 'Everyday', 'Getting Started with', 'Deep Dive:', 'Perspectives on',
  'Studio:', 'Bootcamp:', 'Research Methods in',
];
const MODULE_NAMES = ['Getting started', 'Core ideas', 'Working through examples', 'Going further', 'Putting it together'];
const FIRST = ['Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Nikos', 'Olu', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uma', 'Viktor', 'Wen', 'Yara'];
const LAST = ['Lovelace', 'Okafor', 'Martin', 'Patel', 'Yilmaz', 'Adeyemi', 'Hopper', 'Tanaka', 'García', 'Berg', 'Mensah', 'Walsh', 'Cohen', 'Papadakis', 'Bello', 'Sharma', 'Lee', 'Rossi', 'Nilsson', 'Reddy', 'Novak', 'Dubois', 'Kowalski', 'Haddad', 'Moreau', 'Schmidt', 'Ivanova'];

/** A constant text[] literal (trusted constants only). */
function textArray(values: string[]): SQL {
  return sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`);
}

export const learnerEmail = (slug: string, n: number, width = 6) => `learner${String(n).padStart(width, '0')}@${slug}.test`;
export const instructorEmail = (slug: string, n: number) => `instructor${String(n).padStart(2, '0')}@${slug}.test`;
export const ownerEmail = (slug: string) => `owner@${slug}.test`;

export async function findOrganisation(slug: string): Promise<{ id: string; slug: string; name: string } | null> {
  const [row] = await withGlobal((tx) => tx.select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name }).from(schema.tenants).where(eq(schema.tenants.slug, slug)).limit(1));
  return row ?? null;
}

export async function anyOrganisation(): Promise<boolean> {
  const rows = await withGlobal((tx) => tx.select({ id: schema.tenants.id }).from(schema.tenants).limit(1));
  return rows.length > 0;
}

/** Row counts of one organisation (and its synthetic users), read through RLS as the app does. */
export async function organisationRowCounts(tenantId: string, slug: string): Promise<Record<string, number>> {
  const counts = await withTenant(tenantId, async (tx) => {
    const out: Record<string, number> = {};
    for (const table of [...SEEDED_TABLES].reverse()) {
      const [r] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
      out[table] = r!.n;
    }
    const [e] = await tx.execute<{ learners: number; active: number; completed: number; seats: number }>(sql`
      select count(*) filter (where role = 'learner')::int as learners,
             count(*) filter (where role = 'learner' and status = 'active')::int as active,
             count(*) filter (where completed_at is not null)::int as completed,
             (select sum(seats_taken)::int from courses) as seats
      from enrolments`);
    out['enrolments (learner)'] = e!.learners;
    out['enrolments (learner, active)'] = e!.active;
    out['enrolments (completed)'] = e!.completed;
    out['sum(courses.seats_taken)'] = e!.seats;
    return out;
  });
  const [u] = await withGlobal((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from users where email like ${`%@${slug}.test`}`));
  return { users: u!.n, ...counts };
}

/**
 * Remove an organisation made by this seed: its tenant rows through RLS (children first, so no cascade
 * walks millions of rows one by one), then the tenant row (owner connection) and its synthetic users.
 */
export async function dropLargeOrganisation(ownerUrl: string, slug: string, log: (line: string) => void): Promise<void> {
  const org = await findOrganisation(slug);
  if (!org) return;
  const t0 = Date.now();
  for (const table of SEEDED_TABLES) {
    const n = await withTenant(org.id, async (tx) => (await tx.execute(sql`delete from ${sql.identifier(table)} where tenant_id = ${org.id}`)).count);
    log(`  deleted ${n.toLocaleString('en')} ${table} rows (${secs(t0)})`);
  }
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner`delete from tenants where id = ${org.id}`;
    const users = await owner`delete from users where email like ${`%@${slug}.test`}`;
    log(`  deleted organisation ${slug} and ${users.count.toLocaleString('en')} users (${secs(t0)})`);
  } finally {
    await owner.end({ timeout: 5 });
  }
}

/** VACUUM ANALYZE the seeded tables (owner: the app role may not), so plans and visibility maps are those of a settled database. */
export async function analyzeSeededTables(ownerUrl: string, tables: readonly string[] = ['users', 'tenants', ...SEEDED_TABLES]): Promise<void> {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe(`vacuum (analyze) ${tables.map((t) => `"${t}"`).join(', ')}`);
  } finally {
    await owner.end({ timeout: 5 });
  }
}

const secs = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** Faster bulk transactions: no wait for the WAL flush at commit, more memory for sorts and hashes. */
async function bulkSettings(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('synchronous_commit', 'off', true), set_config('work_mem', '128MB', true)`);
}

export type LargeSeedResult = { tenantId: string; seconds: number; enrolments: number; progress: number };

/**
 * Generate the organisation. `ownerUrl` (the migration owner's connection) is used only for VACUUM ANALYZE,
 * which the app role may not run.
 */
export async function seedLargeOrganisation(opts: LargeSeedOptions, ownerUrl: string, log: (line: string) => void = console.log): Promise<LargeSeedResult> {
  const t0 = Date.now();
  const { slug } = opts;
  const passwordHash = await hashPassword(DEMO_PASSWORD); // once: every generated account shares it

  // 1. The organisation, its owner and instructors (a few rows).
  const { tenantId, instructorIds } = await withGlobal(async (tx) => {
    const [tenant] = await tx.insert(schema.tenants).values({ slug, name: opts.name }).returning({ id: schema.tenants.id });
    const staff = [
      { email: ownerEmail(slug), name: `${FIRST[0]} ${LAST[0]}`, passwordHash },
      ...Array.from({ length: opts.instructors }, (_, i) => ({ email: instructorEmail(slug, i + 1), name: `${FIRST[(i + 2) % FIRST.length]} ${LAST[(i * 5 + 2) % LAST.length]}`, passwordHash })),
    ];
    await tx.insert(schema.users).values(staff).onConflictDoNothing({ target: schema.users.email });
    const users = await tx.execute<{ id: string; email: string }>(sql`select id, email from users where email = any(${`{${staff.map((s) => s.email).join(',')}}`}::text[])`);
    const byEmail = new Map(users.map((u) => [u.email, u.id]));
    await enterTenant(tx, tenant!.id);
    await tx.insert(schema.tenantSettings).values({ tenantId: tenant!.id, displayName: opts.name, primaryColor: '#1e3a8a', accentColor: '#b45309' });
    await tx.insert(schema.memberships).values(staff.map((s, i) => ({ tenantId: tenant!.id, userId: byEmail.get(s.email)!, role: i === 0 ? ('owner' as const) : ('instructor' as const) })));
    await grantPlan(tx, tenant!.id, 'business', opts.learners + 1_000);
    await tx.insert(schema.auditLog).values({ tenantId: tenant!.id, actorLabel: 'system', action: 'organisation.created', targetType: 'organisation', targetId: tenant!.id, targetLabel: opts.name, after: { name: opts.name, slug, seeded: 'large' } });
    return { tenantId: tenant!.id, instructorIds: staff.slice(1).map((s) => byEmail.get(s.email)!) };
  });
  log(`Organisation ${slug} (${opts.name}): owner and ${opts.instructors} instructors (${secs(t0)})`);

  // 2. Courses, modules, items and one instructor enrolment per course.
  await withTenant(tenantId, async (tx) => {
    await bulkSettings(tx);
    const ns = SUBJECTS.length;
    const nq = QUALIFIERS.length;
    await tx.execute(sql`
      insert into courses (tenant_id, slug, title, summary, description_html, category, tags, language, status, enrolment_mode, created_at, updated_at, published_at)
      select ${tenantId}, s.slug, s.title, s.summary,
             '<p>' || s.summary || '</p><p>Each module ends with a short recap and a practice task.</p>',
             s.category, array[lower(s.subject), lower(s.category)], s.lang, s.status::course_status, s.mode::enrolment_mode,
             s.created, s.created, case when s.status <> 'draft' then s.created + interval '1 day' end
      from (
        select c, x.subject, x.category, t.title,
               trim(both '-' from lower(regexp_replace(t.title, '[^A-Za-z0-9]+', '-', 'g'))) as slug,
               (array['A practical course in %s: short lessons and exercises.', '%s from first principles, with worked examples.',
                      'Everything you need to get going with %s.', 'A guided tour of %s for busy people.'])[1 + c % 4] as summary_fmt,
               case c % 10 when 3 then 'de' when 6 then 'fr' when 8 then 'es' else 'en' end as lang,
               case c % 50 when 49 then 'draft' when 48 then 'archived' else 'published' end as status,
               case when c % 25 = 12 then 'approval' when c % 100 = 37 then 'invite' else 'open' end as mode,
               now() - interval '3 years' + c * interval '1 hour' as created
        from generate_series(0, ${opts.courses - 1}::int) c
        cross join lateral (select (${textArray(SUBJECTS.map((s) => s[0]))})[1 + c % ${ns}] as subject,
                                   (${textArray(SUBJECTS.map((s) => s[1]))})[1 + c % ${ns}] as category,
                                   (${textArray(QUALIFIERS)})[1 + (c / ${ns}) % ${nq}] as qualifier) x
        cross join lateral (select x.qualifier || ' ' || x.subject || case when c >= ${ns * nq} then ' ' || (c / ${ns * nq} + 1) else '' end as title) t
      ) s0
      cross join lateral (select s0.*, format(s0.summary_fmt, s0.subject) as summary) s`);
    await tx.execute(sql`
      insert into course_modules (tenant_id, course_id, title, position, created_at)
      select ${tenantId}, co.id, 'Module ' || (m + 1) || ': ' || (${textArray(MODULE_NAMES)})[1 + m], m, co.created_at
      from (select id, created_at, (row_number() over (order by created_at, id) - 1)::int as c from courses where tenant_id = ${tenantId}) co
      cross join lateral generate_series(0, 2 + (co.c * 7 + 1) % 3) m`);
    await tx.execute(sql`
      insert into course_items (tenant_id, course_id, module_id, kind, title, position, required, content, created_at, updated_at)
      select ${tenantId}, mo.course_id, mo.id, k.kind,
             case k.kind when 'video' then 'Video: ' when 'link' then 'Further reading: ' else 'Lesson ' end || (mo.m + 1) || '.' || (i + 1) || ' — ' || mo.title,
             i, true,
             case k.kind
               when 'video' then jsonb_build_object('source', 'embed', 'provider', 'youtube', 'videoId', 'dQw4w9WgXcQ')
               when 'link' then jsonb_build_object('url', 'https://example.com/' || mo.slug || '/' || (mo.m + 1) || '-' || (i + 1))
               else jsonb_build_object('html', '<p>' || mo.title || ', part ' || (i + 1) || ': read the notes, then try the exercise at the end.</p>')
             end,
             mo.created_at, mo.created_at
      from (select m.id, m.course_id, m.position as m, co.c, co.slug, co.title, m.created_at
            from course_modules m
            join (select id, slug, title, (row_number() over (order by created_at, id) - 1)::int as c from courses where tenant_id = ${tenantId}) co on co.id = m.course_id
            where m.tenant_id = ${tenantId}) mo
      cross join lateral generate_series(0, 2 + (mo.c + mo.m * 5) % 3) i
      cross join lateral (select case when (mo.c + mo.m * 3 + i) % 13 = 5 then 'video' when i % 4 = 3 then 'link' else 'lesson' end as kind) k`);
    await tx.execute(sql`
      insert into enrolments (tenant_id, course_id, user_id, role, status, created_at, enrolled_at)
      select ${tenantId}, co.id, (${`{${instructorIds.join(',')}}`}::uuid[])[1 + co.c % ${instructorIds.length}], 'instructor', 'active', co.created_at, co.created_at
      from (select id, created_at, (row_number() over (order by created_at, id) - 1)::int as c from courses where tenant_id = ${tenantId}) co`);
  });
  const [shape] = await withTenant(tenantId, (tx) =>
    tx.execute<{ courses: number; open: number; modules: number; items: number }>(sql`
      select (select count(*)::int from courses) as courses, (select count(*)::int from courses where status <> 'draft') as open,
             (select count(*)::int from course_modules) as modules, (select count(*)::int from course_items) as items`),
  );
  log(`Courses: ${shape!.courses} (${shape!.open} published or archived), ${shape!.modules} modules, ${shape!.items} items (${secs(t0)})`);
  const open = shape!.open;
  if (open - 1 < opts.perLearner) throw new Error(`seed-large: ${opts.perLearner} courses per learner needs at least ${opts.perLearner + 1} published courses, got ${open}`);

  // 3. Learners in batches: users, memberships, enrolments and their progress, one transaction a batch.
  const width = Math.max(6, String(opts.learners).length);
  const batches: [number, number][] = [];
  for (let lo = 1; lo <= opts.learners; lo += opts.batchSize) batches.push([lo, Math.min(opts.learners, lo + opts.batchSize - 1)]);
  let enrolments = 0;
  let progress = 0;
  let done = 0;
  const runBatch = async ([lo, hi]: [number, number]) => {
    const tb = Date.now();
    const r = await withGlobal(async (tx) => {
      await bulkSettings(tx);
      await tx.execute(sql`
        insert into users (name, email, password_hash, created_at)
        select (${textArray(FIRST)})[1 + g % ${FIRST.length}] || ' ' || (${textArray(LAST)})[1 + (g / ${FIRST.length}) % ${LAST.length}],
               'learner' || lpad(g::text, ${width}::int, '0') || ${`@${slug}.test`}, ${passwordHash}, now() - random() * interval '400 days'
        from generate_series(${lo}::int, ${hi}::int) g
        on conflict (email) do nothing`);
      await enterTenant(tx, tenantId);
      await tx.execute(sql`
        create temp table seed_batch on commit drop as
        select g, u.id as user_id, u.created_at
        from generate_series(${lo}::int, ${hi}::int) g
        join users u on u.email = 'learner' || lpad(g::text, ${width}::int, '0') || ${`@${slug}.test`}`);
      await tx.execute(sql`insert into memberships (tenant_id, user_id, role, created_at) select ${tenantId}, user_id, 'learner', created_at from seed_batch`);
      // The course outline in reading order (module position, then item position): rank 0..n-1 per course.
      await tx.execute(sql`
        create temp table seed_outline on commit drop as
        select i.course_id, i.id as item_id, (row_number() over (partition by i.course_id order by m.position, i.position) - 1)::int as rank
        from course_items i join course_modules m on m.tenant_id = i.tenant_id and m.id = i.module_id
        where i.tenant_id = ${tenantId}`);
      await tx.execute(sql`create unique index on seed_outline (course_id, rank)`);
      await tx.execute(sql`create unique index on seed_outline (item_id)`);
      await tx.execute(sql`
        create temp table seed_course on commit drop as
        select c.id, (row_number() over (order by c.created_at, c.id) - 1)::int as ord, c.enrolment_mode::text as mode,
               (select count(*)::int from seed_outline o where o.course_id = c.id) as n
        from courses c where c.tenant_id = ${tenantId} and c.status <> 'draft'`);
      await tx.execute(sql`create unique index on seed_course (ord)`);
      await tx.execute(sql`analyze seed_batch`);
      await tx.execute(sql`analyze seed_outline`);
      await tx.execute(sql`analyze seed_course`);
      // Distinct courses per learner: slot j maps to ord 1 + (37g + j·step) mod (open−1), step = ⌊(open−1)/P⌋, so the
      // P slots never collide; every fifth learner's slot 0 is the first course (ord 0), the others' is P·step.
      // Progress: 55 % none, 7 % all items (completed), the rest the first 1..n/3 items; 5 % of approval-course
      // requests still pending (no seat, no progress).
      const step = Math.floor((open - 1) / opts.perLearner);
      const res = await tx.execute(sql`
        with pick as (
          select b.user_id, c.id as course_id, c.n, c.mode, random() as r1, random() as r2, random() as r3,
                 now() - interval '400 days' + random() * interval '360 days' as enrolled
          from seed_batch b
          cross join generate_series(0, ${opts.perLearner - 1}::int) j
          join seed_course c on c.ord = case
              when j = 0 and b.g % 5 = 0 then 0
              when j = 0 then 1 + (b.g * 37 + ${opts.perLearner * step}::int) % ${open - 1}::int
              else 1 + (b.g * 37 + j * ${step}::int) % ${open - 1}::int end
        ), k as (
          select pick.*, case when mode = 'approval' and r1 < 0.05 then -1
                              when r1 < 0.55 then 0
                              when r1 < 0.62 then n
                              else 1 + floor(r2 * greatest(1, n / 3))::int end as k
          from pick
        ), e as (
          insert into enrolments (tenant_id, course_id, user_id, role, status, created_at, enrolled_at, completed_at, last_item_id, last_activity_at)
          select ${tenantId}, k.course_id, k.user_id, 'learner', case when k.k < 0 then 'pending' else 'active' end::enrolment_status, k.enrolled,
                 case when k.k >= 0 then k.enrolled end,
                 case when k.k = k.n then k.enrolled + k.k * (0.2 + k.r3) * interval '1 day' end,
                 o.item_id,
                 case when k.k > 0 then k.enrolled + k.k * (0.2 + k.r3) * interval '1 day' end
          from k left join seed_outline o on o.course_id = k.course_id and o.rank = k.k - 1
          order by k.course_id, k.user_id
          returning id, course_id, enrolled_at, last_item_id, last_activity_at
        ), p as (
          insert into item_progress (tenant_id, enrolment_id, item_id, completed_at, updated_at)
          select ${tenantId}, e.id, o.item_id, at, at
          from e
          join seed_outline upto on upto.item_id = e.last_item_id
          join seed_outline o on o.course_id = e.course_id and o.rank <= upto.rank
          cross join lateral (select e.enrolled_at + (e.last_activity_at - e.enrolled_at) * (o.rank + 1) / (upto.rank + 1) as at) t
          order by e.id, o.item_id
          returning 1
        )
        select (select count(*)::int from e) as enrolments, (select count(*)::int from p) as progress`);
      return res[0] as unknown as { enrolments: number; progress: number };
    });
    enrolments += r.enrolments;
    progress += r.progress;
    done += hi - lo + 1;
    log(
      `  learners ${lo.toLocaleString('en')}–${hi.toLocaleString('en')}: +${r.enrolments.toLocaleString('en')} enrolments, +${r.progress.toLocaleString('en')} progress rows ` +
        `(${secs(tb)}; ${done.toLocaleString('en')}/${opts.learners.toLocaleString('en')} learners, ${secs(t0)} in all)`,
    );
  };
  const queue = [...batches];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.jobs, batches.length)) }, async () => {
      for (let b = queue.shift(); b; b = queue.shift()) await runBatch(b);
    }),
  );

  // 4. VACUUM ANALYZE first: the first pass over a million fresh rows otherwise pays for every hint bit
  //    and heap fetch (measured: 86 s for the seat count below, 0.3 s after the vacuum).
  const tv = Date.now();
  await analyzeSeededTables(ownerUrl);
  log(`VACUUM ANALYZE ${(SEEDED_TABLES as readonly string[]).join(', ')}, users (${secs(tv)}; ${secs(t0)} in all)`);

  // 5. Seat counters (active learner enrolments) and a capacity on a few courses, above what is taken.
  await withTenant(tenantId, async (tx) => {
    await tx.execute(sql`
      update courses c set seats_taken = s.n
      from (select course_id, count(*)::int as n from enrolments where tenant_id = ${tenantId} and role = 'learner' and status = 'active' group by course_id) s
      where c.tenant_id = ${tenantId} and c.id = s.course_id`);
    await tx.execute(sql`
      update courses c set capacity = c.seats_taken + 100
      from (select id, (row_number() over (order by created_at, id) - 1)::int as ord from courses where tenant_id = ${tenantId}) o
      where c.tenant_id = ${tenantId} and c.id = o.id and o.ord % 40 = 11 and c.status = 'published'`);
  });
  await analyzeSeededTables(ownerUrl, ['courses']);
  log(`Seat counters updated (${secs(t0)} in all)`);
  return { tenantId, seconds: (Date.now() - t0) / 1000, enrolments, progress };
}
