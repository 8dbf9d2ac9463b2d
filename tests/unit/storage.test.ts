import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDirectoryStore } from '@/lib/storage/local-store';
import { parseRange, serveObject } from '@/lib/storage/serve';
import { signFileUrl, verifyFileUrl } from '@/lib/storage/signed-url';
import { assertKey, contentKey } from '@/lib/storage/store';

const SECRET = 'test-secret-for-file-urls-0123456789';
const tenant = '5b1e2c8a-3f4d-4e5a-9b6c-7d8e9f0a1b2c';

describe('content-addressed keys', () => {
  it('gives the same bytes the same key and other bytes another', () => {
    const a = contentKey(tenant, Buffer.from('lesson one'), 'pdf');
    expect(a.key).toMatch(new RegExp(`^t/${tenant}/[0-9a-f]{2}/[0-9a-f]{64}\\.pdf$`));
    expect(contentKey(tenant, Buffer.from('lesson one'), 'PDF').key).toBe(a.key);
    expect(contentKey(tenant, Buffer.from('lesson two'), 'pdf').key).not.toBe(a.key);
  });

  it('refuses keys that could escape the store', () => {
    for (const bad of ['../etc/passwd', '/abs', 't//x', 'T/upper', 'a/../b', '']) expect(() => assertKey(bad), bad).toThrow();
  });
});

describe('signed file URLs', () => {
  const request = { key: 't/x/ab/abcdef.pdf', expires: 2_000_000_000, disposition: 'inline' as const, filename: 'Week 1 — notes.pdf' };
  const parse = (url: string) => {
    const u = new URL(url, 'http://x');
    return { key: decodeURIComponent(u.pathname.replace(/^\/files\//, '')), query: u.searchParams };
  };

  it('verifies an untouched URL until it expires', () => {
    const { key, query } = parse(signFileUrl(SECRET, request));
    expect(verifyFileUrl(SECRET, key, query, 1_900_000_000)).toEqual({ ok: true, request });
    expect(verifyFileUrl(SECRET, key, query, 2_000_000_001)).toEqual({ ok: false, status: 410, reason: 'expired' });
  });

  it('refuses a URL with anything changed: key, expiry, disposition, name, signature or secret', () => {
    const { key, query } = parse(signFileUrl(SECRET, request));
    const tweak = (name: string, value: string) => {
      const q = new URLSearchParams(query);
      q.set(name, value);
      return q;
    };
    expect(verifyFileUrl(SECRET, 't/x/ab/other.pdf', query, 0)).toMatchObject({ ok: false, status: 403 });
    expect(verifyFileUrl(SECRET, key, tweak('exp', '2100000000'), 0)).toMatchObject({ ok: false, status: 403 });
    expect(verifyFileUrl(SECRET, key, tweak('d', 'attachment'), 0)).toMatchObject({ ok: false, status: 403 });
    expect(verifyFileUrl(SECRET, key, tweak('name', 'evil.html'), 0)).toMatchObject({ ok: false, status: 403 });
    expect(verifyFileUrl(SECRET, key, tweak('sig', 'x'), 0)).toMatchObject({ ok: false, status: 403 });
    expect(verifyFileUrl('another-secret-another-secret-0000', key, query, 0)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parseRange', () => {
  it('reads the forms video players send', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
  });
  it('serves the whole file for no or unsupported ranges, and refuses impossible ones', () => {
    expect(parseRange(null, 1000)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
  });
});

describe('LocalDirectoryStore and serveObject', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lectern-store-'));
  const store = new LocalDirectoryStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  const { key, sha256 } = contentKey(tenant, body, 'mp4');
  const serve = (headers: { range?: string; ifNoneMatch?: string } = {}) =>
    serveObject(store, key, { etag: sha256, disposition: 'inline', filename: 'Intro video.mp4', rangeHeader: headers.range ?? null, ifNoneMatch: headers.ifNoneMatch ?? null });

  it('stores, reads and deletes an object', async () => {
    await store.put(key, body, { contentType: 'video/mp4' });
    expect(await store.head(key)).toEqual({ size: 1000, contentType: 'video/mp4' });
    expect((await store.get(key))!.body.equals(body)).toBe(true);
    expect((await store.get(key, { start: 10, end: 19 }))!.body.equals(body.subarray(10, 20))).toBe(true);
  });

  it('serves the whole file with caching and safety headers', async () => {
    const res = await serve();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(res.headers.get('etag')).toBe(`"${sha256}"`);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="Intro video.mp4"; filename*=UTF-8''Intro%20video.mp4`);
  });

  it('answers a Range request with 206 and the slice, and an impossible one with 416', async () => {
    const part = await serve({ range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    const bad = await serve({ range: 'bytes=5000-' });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers 304 to a matching If-None-Match and 404 for a missing object', async () => {
    expect((await serve({ ifNoneMatch: `"${sha256}"` })).status).toBe(304);
    await store.delete(key);
    expect((await serve()).status).toBe(404);
    expect(await store.head(key)).toBeNull();
  });
});
