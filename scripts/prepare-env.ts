import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv, type Env } from '@/lib/env';

/**
 * Fill in what a local run can decide for itself (database URL, a persisted AUTH_SECRET under the
 * data folder), then validate everything, naming each missing or bad variable.
 */
export async function prepareEnv(databaseUrl: string, opts: { embedded: boolean }): Promise<Env> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.LECTERN_ROOT_DOMAIN ||= `localhost:${process.env.PORT ?? '3000'}`;
  if (!process.env.AUTH_SECRET && process.env.NODE_ENV !== 'production') process.env.AUTH_SECRET = localSecret('auth-secret');
  if (opts.embedded) {
    // The embedded server is ours: give the app role a generated password and open the dev mailbox.
    if (!process.env.APP_DATABASE_URL) process.env.LECTERN_APP_DB_PASSWORD ||= localSecret('app-db-password');
    process.env.LECTERN_DEV_MAILBOX ??= '1';
  }
  return parseEnv(process.env);
}

/** A random secret kept under the data folder, so it survives restarts. */
function localSecret(name: string): string {
  const dir = path.resolve(process.env.LECTERN_DATA_DIR ?? '.data');
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
