/**
 * `npm run seed:large [-- --reset] [--slug big --learners 100000 --courses 500 --per-learner 10 --instructors 50 --batch 5000 --jobs 2]`
 *
 * Migrates, adds the demo organisations when the database has none, then one large organisation (by default
 * `big`, Big University: 100,000 learners, 500 courses, 1,000,000 enrolments and their progress) and
 * VACUUM ANALYZEs. Uses DATABASE_URL, else the embedded server (like `npm run seed`). If the organisation
 * already exists it says so and exits 0; `--reset` deletes it (and its `@<slug>.test` users) first.
 * Every generated account's password is `lectern-demo`.
 */
import { closeDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/lib/demo';
import {
  anyOrganisation,
  BIG_ORG,
  dropLargeOrganisation,
  findOrganisation,
  organisationRowCounts,
  seedLargeOrganisation,
  type LargeSeedOptions,
} from '@/db/seed-large';
import { openDatabase } from './database';
import { argValue, hasFlag, intArg, prepareToolEnv } from './local-env';

const slug = argValue('slug') ?? BIG_ORG.slug;
const opts: LargeSeedOptions = {
  slug,
  name: argValue('name') ?? (slug === BIG_ORG.slug ? BIG_ORG.name : `${slug[0]!.toUpperCase()}${slug.slice(1)} (generated)`),
  learners: intArg('learners', BIG_ORG.learners),
  courses: intArg('courses', BIG_ORG.courses, 2),
  perLearner: intArg('per-learner', BIG_ORG.perLearner),
  instructors: intArg('instructors', BIG_ORG.instructors),
  batchSize: intArg('batch', BIG_ORG.batchSize),
  jobs: intArg('jobs', BIG_ORG.jobs),
};

const started = Date.now();
const database = await openDatabase();
let code = 0;
try {
  const env = await prepareToolEnv(database.url, { embedded: database.embedded });
  await runMigrations(database.url, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
  if (!(await anyOrganisation())) await seedDemo();

  const existing = await findOrganisation(slug);
  if (existing && !hasFlag('reset')) {
    const counts = await organisationRowCounts(existing.id, slug);
    console.log(`Organisation "${slug}" already exists (${counts.enrolments?.toLocaleString('en')} enrolments): nothing to do. Run with --reset to rebuild it.`);
  } else {
    if (existing) {
      console.log(`--reset: deleting organisation "${slug}"…`);
      await dropLargeOrganisation(database.url, slug, console.log);
    }
    console.log(
      `Seeding "${slug}": ${opts.learners.toLocaleString('en')} learners × ${opts.perLearner} courses of ${opts.courses}, ` +
        `batches of ${opts.batchSize.toLocaleString('en')} learners, ${opts.jobs} at a time`,
    );
    const result = await seedLargeOrganisation(opts, database.url, console.log);
    const counts = await organisationRowCounts(result.tenantId, slug);
    console.log(`\nRows in "${slug}":`);
    for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(30)} ${n.toLocaleString('en').padStart(12)}`);
    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s (generation and VACUUM ANALYZE ${result.seconds.toFixed(1)} s). Sign in at http://${slug}.${env.LECTERN_ROOT_DOMAIN} with owner@${slug}.test, instructor01@${slug}.test or learner000001@${slug}.test, password lectern-demo.`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await closeDb();
  await database.stop();
}
process.exit(code);
