/**
 * `npm start`: database (embedded unless DATABASE_URL is set) → migrations → demo data on first run
 * → production build when sources changed → `next start`. Ctrl-C stops Lectern and its database cleanly.
 * `npm run dev` does the same with `next dev` and no build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closeDb } from '@/db/client';
import { EmbeddedPostgresError } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/db/seed';
import { EnvError } from '@/lib/env';
import { openDatabase } from './database';
import { prepareEnv } from './prepare-env';

const dev = process.argv.includes('--dev');
const SOURCES = ['app', 'components', 'lib', 'db', 'inngest', 'public', 'proxy.ts', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];
const STAMP = path.join('.next', 'lectern-source-stamp');
const NEXT_BIN = path.join('node_modules', 'next', 'dist', 'bin', 'next');

function sourceStamp(): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const f of readdirSync(p).sort()) walk(path.join(p, f));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  SOURCES.forEach(walk);
  return hash.digest('hex');
}

function buildIfStale() {
  const stamp = sourceStamp();
  if (existsSync(path.join('.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
  console.log('Building Lectern (first run or changed sources)…');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error('The build failed; see the output above.');
  writeFileSync(STAMP, stamp);
}

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
