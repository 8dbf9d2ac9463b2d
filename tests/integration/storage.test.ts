import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe } from 'vitest';
import { LocalDirectoryStore } from '@/lib/storage/local-store';
import { S3Store } from '@/lib/storage/s3-store';
import { objectStoreContract } from '../support/store-contract';

const dirs: string[] = [];
function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('LocalDirectoryStore', () => {
  const store = new LocalDirectoryStore(tempDir('lectern-local-store-'));
  objectStoreContract(() => store);
});

describe('S3Store against a local S3-compatible server (s3rver)', () => {
  let server: S3rver;
  let store: S3Store;
  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    server = new S3rver({ port, address: '127.0.0.1', silent: true, directory: tempDir('lectern-s3rver-') });
    await server.run();
    const config = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
    await new S3Client(config).send(new CreateBucketCommand({ Bucket: 'lectern-test' }));
    store = new S3Store('lectern-test', config);
  });
  afterAll(async () => {
    await server?.close();
  });
  objectStoreContract(() => store);
});
