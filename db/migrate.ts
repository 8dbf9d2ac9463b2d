import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export const MIGRATIONS_DIR = path.join(process.cwd(), 'db', 'migrations');

/**
 * Apply committed migrations as the owner. An advisory lock makes concurrent starts (two app
 * instances) take turns. When the app's own login is not configured separately, give the app
 * role a login with the configured password so the app can connect as it.
 */
export async function runMigrations(ownerUrl: string, opts: { appPassword?: string } = {}): Promise<void> {
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(726354001)`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    if (opts.appPassword !== undefined) {
      const literal = `'${opts.appPassword.replace(/'/g, "''")}'`;
      await client.unsafe(`alter role lectern_app with login password ${literal}`);
    }
    await client`select pg_advisory_unlock(726354001)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
