import { createHash } from 'node:crypto';

/** Where uploaded files live: a local directory by default, an S3-compatible bucket in production. */
export interface ObjectStore {
  put(key: string, body: Buffer, meta: { contentType: string }): Promise<void>;
  /** The object's bytes (optionally a byte range, inclusive) and metadata, or null if absent. */
  get(key: string, range?: { start: number; end: number }): Promise<StoredObject | null>;
  /** The bytes (or a range, inclusive) as a stream, so serving a 200 MB video never holds it in memory. */
  stream(key: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array> | null>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<void>;
}

export type ObjectInfo = { size: number; contentType: string };
export type StoredObject = ObjectInfo & { body: Buffer };

const KEY = /^[a-z0-9][a-z0-9/_.-]{0,400}$/;

/** Keys are ours (never a client's file name): lower-case, no `..`, no leading slash. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.includes('..') || key.includes('//')) throw new Error(`storage: invalid key ${JSON.stringify(key)}`);
}

/**
 * Content-addressed key: the same bytes always get the same key, different bytes a different key, so a
 * replaced file gets a new URL and caches can keep every URL forever.
 */
export function contentKey(tenantId: string, body: Buffer, extension: string): { key: string; sha256: string } {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8) || 'bin';
  return { key: `t/${tenantId.toLowerCase()}/${sha256.slice(0, 2)}/${sha256}.${ext}`, sha256 };
}
