import path from 'node:path';
import { env } from '@/lib/env';
import { LocalDirectoryStore } from './local-store';
import { S3Store } from './s3-store';
import type { ObjectStore } from './store';

let store: ObjectStore | undefined;

/** The configured object store: FILES_STORE=local (FILES_DIR, default .data/files) or s3 (S3_* settings). */
export function objectStore(): ObjectStore {
  if (store) return store;
  const e = env();
  if (e.FILES_STORE === 's3') {
    const credentials = e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined;
    store = new S3Store(e.S3_BUCKET!, { region: e.S3_REGION, endpoint: e.S3_ENDPOINT, forcePathStyle: e.S3_FORCE_PATH_STYLE, credentials });
  } else {
    // A run-time folder, not a source: keep Turbopack from tracing the whole project into the build output.
    store = new LocalDirectoryStore(path.resolve(/*turbopackIgnore: true*/ e.FILES_DIR ?? path.join(process.env.LECTERN_DATA_DIR ?? '.data', 'files')));
  }
  return store;
}
