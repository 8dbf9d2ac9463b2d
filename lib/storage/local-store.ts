import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { assertKey, type ObjectInfo, type ObjectStore, type StoredObject } from './store';

/** Files under a local directory (the default under .data/files); metadata in a sidecar JSON file. */
export class LocalDirectoryStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Buffer, meta: { contentType: string }): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write-then-rename: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, body);
    await writeFile(`${file}.meta.json`, JSON.stringify({ contentType: meta.contentType }));
    await rename(tmp, file);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const file = this.file(key);
    try {
      const [st, meta] = await Promise.all([stat(file), readFile(`${file}.meta.json`, 'utf8')]);
      return { size: st.size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<StoredObject | null> {
    const info = await this.head(key);
    if (!info) return null;
    if (!range) return { ...info, body: await readFile(this.file(key)) };
    const length = range.end - range.start + 1;
    const handle = await open(this.file(key), 'r');
    try {
      const body = Buffer.alloc(length);
      const { bytesRead } = await handle.read(body, 0, length, range.start);
      return { ...info, body: body.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  }

  async stream(key: string, range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array> | null> {
    if (!(await this.head(key))) return null;
    const nodeStream = createReadStream(this.file(key), range ? { start: range.start, end: range.end } : {});
    return Readable.toWeb(nodeStream) as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await Promise.all([rm(file, { force: true }), rm(`${file}.meta.json`, { force: true })]);
  }
}
