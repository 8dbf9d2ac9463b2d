import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Env } from '@/lib/env';
import { prepareEnv } from './prepare-env';

/**
 * prepareEnv for local tool scripts (seed:large, bench:pages). Against a DATABASE_URL with neither
 * APP_DATABASE_URL nor LECTERN_APP_DB_PASSWORD, the app role gets the checkout's generated password
 * (`.data/app-db-password`, the file the embedded server uses), which the migrations then set.
 */
export async function prepareToolEnv(databaseUrl: string, opts: { embedded: boolean }): Promise<Env> {
  if (!opts.embedded && !process.env.APP_DATABASE_URL && !process.env.LECTERN_APP_DB_PASSWORD) {
    const dir = path.resolve(process.env.LECTERN_DATA_DIR ?? '.data');
    const file = path.join(dir, 'app-db-password');
    mkdirSync(dir, { recursive: true });
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env.LECTERN_APP_DB_PASSWORD = readFileSync(file, 'utf8').trim();
  }
  return prepareEnv(databaseUrl, opts);
}

/** `--name value` / `--name=value` from argv, else undefined. */
export function argValue(name: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export const hasFlag = (name: string) => process.argv.slice(2).includes(`--${name}`);

export function intArg(name: string, fallback: number, min = 1): number {
  const raw = argValue(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
  return n;
}

/** Whether nothing answers on 127.0.0.1:<p> (a benchmark's server must not meet a leftover one). */
export function portFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: p, path: '/api/health', timeout: 1000 }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('error', () => resolve(true));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}
