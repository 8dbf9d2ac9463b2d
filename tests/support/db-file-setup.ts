import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';

// A fresh database per test file, cloned from the migrated template (tens of milliseconds).
const serverUrl = inject('dbServerUrl');
const name = `lectern_test_${randomBytes(6).toString('hex')}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}" template lectern_test_template`);
await admin.end();

const url = new URL(serverUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.APP_DATABASE_URL = '';
delete process.env.APP_DATABASE_URL;
process.env.LECTERN_APP_DB_PASSWORD = 'lectern_app_test';
process.env.LECTERN_DEV_MAILBOX = '1';
process.env.AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0123';
process.env.LECTERN_ROOT_DOMAIN = 'localhost:3000';
process.env.LOG_LEVEL = 'silent';

afterAll(async () => {
  const { closeDb } = await import('@/db/client');
  await closeDb();
  const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
  await cleanup.end();
});
