import { closeDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/lib/demo';
import { openDatabase } from './database';
import { prepareEnv } from './prepare-env';

const database = await openDatabase();
try {
  const env = await prepareEnv(database.url, { embedded: database.embedded });
  await runMigrations(database.url, { appPassword: env.APP_DATABASE_URL ? undefined : env.LECTERN_APP_DB_PASSWORD });
  await seedDemo();
} finally {
  await closeDb();
  await database.stop();
}
