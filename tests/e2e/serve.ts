/**
 * The server browser tests run against: a fresh embedded PostgreSQL in a temp folder (never the
 * developer's .data/), migrated and seeded with the demo organisations, and `next start` on E2E_PORT.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = process.env.E2E_PORT ?? '3100';
// A folder of its own per run: a second run never touches another run's live database.
const dataDir = mkdtempSync(path.join(os.tmpdir(), `lectern-e2e-${port}-`));
chmodSync(dataDir, 0o755); // reachable by the postgres OS user when run as root, so the data stays inside
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
process.env.LECTERN_DATA_DIR = dataDir;
process.env.LECTERN_DB_PORT = process.env.E2E_DB_PORT ?? '54339';
process.env.PORT = port;
process.env.LECTERN_ROOT_DOMAIN = `localhost:${port}`;
delete process.env.DATABASE_URL;
delete process.env.APP_DATABASE_URL;
await import('../../scripts/start');
