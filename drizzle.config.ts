import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates migrations from the schema; `npm run db:migrate` applies them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/unused' },
  entities: { roles: false },
});
