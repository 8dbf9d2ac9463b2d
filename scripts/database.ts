import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';

/**
 * The database for a command: DATABASE_URL when given, else the embedded PostgreSQL server under
 * LECTERN_DATA_DIR (default .data/) on LECTERN_DB_PORT (default 54329), database `lectern`.
 */
export async function openDatabase(log: (line: string) => void = console.log): Promise<{ url: string; embedded: boolean; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const baseDir = path.resolve(process.env.LECTERN_DATA_DIR ?? '.data');
  const port = Number(process.env.LECTERN_DB_PORT ?? 54329);
  const server = await startEmbeddedPostgres({ baseDir, port, log });
  log(`Embedded PostgreSQL running on 127.0.0.1:${port}, data in ${server.dataDir}`);
  const url = await ensureDatabase(server.url, 'lectern');
  return { url, embedded: true, stop: server.stop };
}
