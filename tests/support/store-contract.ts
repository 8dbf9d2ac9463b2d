import { expect, it } from 'vitest';
import type { ObjectStore } from '@/lib/storage/store';
import { contentKey } from '@/lib/storage/store';

/** The behaviour every ObjectStore implementation must have (local directory and S3 alike). */
export function objectStoreContract(store: () => ObjectStore) {
  const tenant = '5b1e2c8a-3f4d-4e5a-9b6c-7d8e9f0a1b2c';
  const body = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
  const { key } = contentKey(tenant, body, 'bin');

  it('stores an object and reads it back, whole and by range', async () => {
    await store().put(key, body, { contentType: 'application/pdf' });
    expect(await store().head(key)).toEqual({ size: 4096, contentType: 'application/pdf' });
    const whole = await store().get(key);
    expect(whole!.body.equals(body)).toBe(true);
    const part = await store().get(key, { start: 1000, end: 1999 });
    expect(part!.body.equals(body.subarray(1000, 2000))).toBe(true);
    expect(part!.size).toBe(4096);
  });

  it('streams an object, whole and by range, with the same bytes', async () => {
    await store().put(key, body, { contentType: 'application/pdf' });
    const read = async (s: ReadableStream<Uint8Array> | null) => Buffer.from(await new Response(s).arrayBuffer());
    expect((await read(await store().stream(key))).equals(body)).toBe(true);
    expect((await read(await store().stream(key, { start: 4000, end: 4095 }))).equals(body.subarray(4000))).toBe(true);
    expect(await store().stream('t/none/00/missing.bin')).toBeNull();
  });

  it('reports a missing object as null and deletes', async () => {
    expect(await store().head('t/none/00/missing.bin')).toBeNull();
    expect(await store().get('t/none/00/missing.bin')).toBeNull();
    await store().delete(key);
    expect(await store().head(key)).toBeNull();
  });
}
