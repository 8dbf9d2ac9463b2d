/**
 * The production build, only when needed: `.next` exists and was built from the same sources (a stamp of
 * every source file's path, size and mtime), else `next build`. Used by `npm start` and `npm run bench:pages`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCES = ['app', 'components', 'lib', 'db', 'inngest', 'public', 'proxy.ts', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];
const STAMP = path.join('.next', 'lectern-source-stamp');
export const NEXT_BIN = path.join('node_modules', 'next', 'dist', 'bin', 'next');

function sourceStamp(): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const f of readdirSync(p).sort()) walk(path.join(p, f));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  SOURCES.forEach(walk);
  return hash.digest('hex');
}

export function buildIfStale(): void {
  const stamp = sourceStamp();
  if (existsSync(path.join('.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
  console.log('Building Lectern (first run or changed sources)…');
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error('The build failed; see the output above.');
  writeFileSync(STAMP, stamp);
}
