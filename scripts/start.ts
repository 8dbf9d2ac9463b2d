/**
 * `npm start`: database (embedded unless DATABASE_URL is set) → migrations → demo data on first run
 * → production build when sources changed → `next start`. Ctrl-C stops Lectern and its database cleanly.
 * `npm run dev` does the same with `next dev` and no build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeDb } from '@/db/client';
import { EmbeddedPostgresError } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/lib/demo';
import { EnvError } from '@/lib/env';
import { buildIfStale, NEXT_BIN } from './build';
import { openDatabase } from './database';
import { prepareEnv } from './prepare-env';

const dev = process.argv.includes('--dev');

async function main() {
  const database = await openDatabase();
  const app: { child?: ChildProcess } = {};
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const child = app.child;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await closeDb();
    await database.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const env = await prepareEnv(database.url, { embedded: database.embedded });
    await runMigrations(database.url, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
    if (database.embedded ? process.env.LECTERN_SEED !== '0' : process.env.LECTERN_SEED === '1') await seedDemo();
    await closeDb();
    if (!dev) buildIfStale();
  } catch (e) {
    console.error(e instanceof EnvError || e instanceof Error ? e.message : e);
    await stop(1);
    return;
  }

  const port = process.env.PORT ?? '3000';
  // Node runs Next directly (no npx in between), so signals reach it and nothing is orphaned.
  const child = spawn(process.execPath, [NEXT_BIN, dev ? 'dev' : 'start', '-p', port], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  app.child = child;
  child.on('exit', (code) => void stop(code ?? 0));
  const root = process.env.LECTERN_ROOT_DOMAIN ?? `localhost:${port}`;
  console.log(`\nLectern: http://${root} (product page) · http://acme.${root} and http://globex.${root} (demo organisations)\n`);
}

main().catch((e) => {
  console.error(e instanceof EmbeddedPostgresError ? e.message : e);
  process.exit(1);
});
