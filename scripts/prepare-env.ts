import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv, type Env } from '@/lib/env';

/**
 * Fill in what a local run can decide for itself (database URL, a persisted AUTH_SECRET under the
 * data folder), then validate everything, naming each missing or bad variable.
 */
export async function prepareEnv(databaseUrl: string): Promise<Env> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.LECTERN_APP_DB_PASSWORD ??= 'lectern_app';
  process.env.LECTERN_ROOT_DOMAIN ||= `localhost:${process.env.PORT ?? '3000'}`;
  if (!process.env.AUTH_SECRET && process.env.NODE_ENV !== 'production') {
    const dir = path.resolve(process.env.LECTERN_DATA_DIR ?? '.data');
    const file = path.join(dir, 'auth-secret');
    mkdirSync(dir, { recursive: true });
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env.AUTH_SECRET = readFileSync(file, 'utf8').trim();
  }
  return parseEnv(process.env);
}
