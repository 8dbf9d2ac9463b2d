import { runMigrations } from '@/db/migrate';
import { openDatabase } from './database';

const database = await openDatabase();
try {
  await runMigrations(database.url, { appPassword: process.env.APP_DATABASE_URL ? undefined : (process.env.LECTERN_APP_DB_PASSWORD ?? 'lectern_app') });
  console.log('Migrations applied.');
} finally {
  await database.stop();
}
