/**
 * What a spec may need to know about the e2e server beyond HTTP: its database (to set up rows no page
 * can make yet) and its AUTH_SECRET (to sign URLs the server would not hand out, e.g. expired ones).
 * serve.ts writes it (mode 0600) and removes it when the server stops.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePgDir } from '../../db/embedded';

export type ServerInfo = { dataDir: string; dbPort: number; authSecret: string; stripeApiBase: string };

export function serverInfoFile(port: number | string): string {
  return path.join(os.tmpdir(), `lectern-e2e-${port}.json`);
}

export function readServerInfo(port: number | string = process.env.E2E_PORT ?? 3100): ServerInfo {
  return JSON.parse(readFileSync(serverInfoFile(port), 'utf8')) as ServerInfo;
}

/** A superuser URL for the e2e server's database (the embedded server keeps its password beside the data). */
export function e2eDatabaseUrl(info = readServerInfo()): string {
  const password = readFileSync(path.join(path.dirname(resolvePgDir(info.dataDir).dir), 'pg-superuser-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${info.dbPort}/lectern`;
}
