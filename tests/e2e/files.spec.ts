/**
 * Course files over HTTP: a course author uploads through /api/uploads and gets a signed URL; the URL
 * serves the file to anyone who has it (no session: <video>, <iframe> and CDNs fetch it), with the
 * headers that keep it safe and cacheable, and refuses expired, altered or foreign links.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { signFileUrl } from '../../lib/storage/signed-url';
import { PORT, signIn, tenantUrl, unique } from './helpers';
import { e2eDatabaseUrl, readServerInfo } from './server-info';

const ASSETS = path.join(import.meta.dirname, '..', '..', 'db', 'seed-assets');
const PDF = readFileSync(path.join(ASSETS, 'course-notes.pdf'));
const WEBM = readFileSync(path.join(ASSETS, 'intro.webm'));
const acme = `acme.localhost:${PORT}`;
const globex = `globex.localhost:${PORT}`;
const MB = 1024 * 1024;

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** Node does not resolve *.localhost: talk to 127.0.0.1 and name the organisation in the Host header. */
function send(method: string, urlPath: string, host: string, opts: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: PORT, path: urlPath, method, headers: { host, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----lectern${unique()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

let courseId: string;
let cookie: string;
const uploadPath = (purpose: string) => `/api/uploads?${new URLSearchParams({ courseId, purpose })}`;

function upload(purpose: string, file: { name: string; type: string; data: Buffer }, opts: { cookie?: string; host?: string } = {}) {
  const { body, contentType } = multipart({}, file);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (opts.cookie ?? cookie) headers.cookie = opts.cookie ?? cookie;
  return send('POST', uploadPath(purpose), opts.host ?? acme, { headers, body });
}

type Uploaded = { key: string; url: string; contentType: string; size: number; filename: string };
const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as Uploaded & { error?: string };

test.describe.configure({ mode: 'serial' });

let pdf: Uploaded;
let video: Uploaded;

test.beforeAll(async ({ browser }) => {
  // No page creates courses yet: add one to acme directly (the superuser is not bound by RLS).
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ id: string }[]>`
      insert into courses (tenant_id, slug, title) select id, ${`files-${unique()}`}, 'Files e2e' from tenants where slug = 'acme' returning id`;
    courseId = row!.id;
  } finally {
    await sql.end();
  }
  const page = await browser.newPage();
  await signIn(page, 'acme', 'owner@acme.test');
  cookie = (await page.context().cookies(tenantUrl('acme'))).map((c) => `${c.name}=${c.value}`).join('; ');
  await page.close();
});

test('a course author uploads through /api/uploads and gets a signed URL; others are refused', async () => {
  const anonymous = await upload('document', { name: 'notes.pdf', type: 'application/pdf', data: PDF }, { cookie: '' });
  expect(anonymous.status).toBe(401);
  expect(json(anonymous).error).toBe('Your session has ended. Sign in again to continue.');

  // The acme session means nothing on globex (host-only cookies), even with a real course id.
  expect((await upload('document', { name: 'notes.pdf', type: 'application/pdf', data: PDF }, { host: globex })).status).toBe(401);

  const r1 = await upload('document', { name: 'Week 1 notes.pdf', type: 'application/pdf', data: PDF });
  expect(r1.status, r1.body.toString()).toBe(200);
  pdf = json(r1);
  expect(pdf).toMatchObject({ contentType: 'application/pdf', size: PDF.length, filename: 'Week 1 notes.pdf' });
  expect(pdf.key).toMatch(/^t\/[0-9a-f-]{36}\/[0-9a-f]{2}\/[0-9a-f]{64}\.pdf$/);
  expect(pdf.url.startsWith(`/files/${pdf.key}?`)).toBe(true);

  const r2 = await upload('video', { name: 'intro.webm', type: 'video/webm', data: WEBM });
  expect(r2.status, r2.body.toString()).toBe(200);
  video = json(r2);

  const wrong = await upload('cover', { name: 'notes.pdf', type: 'image/png', data: PDF });
  expect(wrong.status).toBe(415);
  expect(json(wrong).error).toBe('That file is application/pdf, which is not allowed here. Allowed: PNG, JPEG, WebP, GIF.');
  const disguised = await upload('document', { name: 'syllabus.pdf', type: 'application/pdf', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) });
  expect(disguised.status).toBe(415);
  expect(json(disguised).error).toContain('Renaming a file does not change its type');

  const crossSite = await send('POST', uploadPath('document'), acme, { headers: { cookie, origin: tenantUrl('globex').replace(/\/$/, ''), 'content-type': 'multipart/form-data; boundary=x' }, body: Buffer.from('--x--\r\n') });
  expect(crossSite.status).toBe(403);
});

test('a signed URL serves the file to anyone holding it, with nosniff, a disposition and immutable caching', async () => {
  const res = await send('GET', pdf.url, acme);
  expect(res.status).toBe(200);
  expect(res.body.equals(PDF)).toBe(true);
  expect(res.headers['content-type']).toBe('application/pdf');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-disposition']).toBe(`inline; filename="Week 1 notes.pdf"; filename*=UTF-8''Week%201%20notes.pdf`);
  expect(res.headers['cache-control']).toContain('immutable');
  expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
  expect(res.headers['accept-ranges']).toBe('bytes');
  // Framed by the course player on the same host, nowhere else.
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['set-cookie']).toBeUndefined();

  // Next drops Content-Length from route handler responses (send-response.ts), so HEAD shows the rest.
  const head = await send('HEAD', pdf.url, acme);
  expect(head.status).toBe(200);
  expect(head.headers['content-type']).toBe('application/pdf');
  expect(head.headers.etag).toBe(res.headers.etag);
  expect(head.body.length).toBe(0);
});

test('video seeking: Range gets 206 with the bytes asked for, past the end 416', async () => {
  const part = await send('GET', video.url, acme, { headers: { range: 'bytes=100-1123' } });
  expect(part.status).toBe(206);
  expect(part.headers['content-range']).toBe(`bytes 100-1123/${WEBM.length}`);
  expect(part.headers['content-type']).toBe('video/webm');
  expect(part.body.equals(WEBM.subarray(100, 1124))).toBe(true);
  const tail = await send('GET', video.url, acme, { headers: { range: 'bytes=-10' } });
  expect(tail.status).toBe(206);
  expect(tail.body.equals(WEBM.subarray(WEBM.length - 10))).toBe(true);
  const past = await send('GET', video.url, acme, { headers: { range: `bytes=${WEBM.length}-` } });
  expect(past.status).toBe(416);
  expect(past.headers['content-range']).toBe(`bytes */${WEBM.length}`);
});

test('a cached copy is revalidated with 304 Not Modified', async () => {
  const first = await send('GET', pdf.url, acme);
  const again = await send('GET', pdf.url, acme, { headers: { 'if-none-match': String(first.headers.etag) } });
  expect(again.status).toBe(304);
  expect(again.body.length).toBe(0);
});

test('expired links get 410, altered or unsigned links 403, another organisation’s file 404', async () => {
  const { authSecret } = readServerInfo();
  const expired = signFileUrl(authSecret, { key: pdf.key, expires: Math.floor(Date.now() / 1000) - 60, disposition: 'inline', filename: 'Week 1 notes.pdf' });
  const gone = await send('GET', expired, acme);
  expect(gone.status).toBe(410);
  expect(gone.body.toString()).toBe('This file link has expired. Reload the page to get a fresh one.');

  const renamed = pdf.url.replace(/name=[^&]+/, 'name=evil.html');
  const asAttachment = pdf.url.replace('d=inline', 'd=attachment');
  const otherKey = pdf.url.replace(pdf.key, video.key);
  for (const altered of [renamed, asAttachment, otherKey, `/files/${pdf.key}`]) {
    const res = await send('GET', altered, acme);
    expect(res.status, altered).toBe(403);
    expect(res.body.toString()).toBe('This file link is not valid.');
  }

  // A genuine acme link asked of globex: the signature holds, but the key is not globex's.
  const foreign = await send('GET', pdf.url, globex);
  expect(foreign.status).toBe(404);
  expect(foreign.body.includes(PDF.subarray(0, 8))).toBe(false);
  // A validly signed key outside any organisation's prefix is not served either.
  const outside = signFileUrl(authSecret, { key: 'x/secret.pdf', expires: Math.floor(Date.now() / 1000) + 60, disposition: 'inline', filename: 'x.pdf' });
  expect((await send('GET', outside, acme)).status).toBe(404);
});

test('a 12 MB video passes proxy.ts whole; a request over the largest limit gets 413', async () => {
  // Over Next's default 10 MB proxy body buffer: without proxyClientMaxBodySize the tail would be cut off.
  const big = Buffer.concat([WEBM, Buffer.alloc(12 * MB)]);
  const ok = await upload('video', { name: 'long.webm', type: 'video/webm', data: big });
  expect(ok.status, ok.body.toString()).toBe(200);
  const stored = json(ok);
  expect(stored.size).toBe(big.length);
  const first = await send('GET', stored.url, acme, { headers: { range: 'bytes=0-0' } });
  expect(first.headers['content-range']).toBe(`bytes 0-0/${big.length}`);

  // 210 MB streamed (never held in memory here): refused from its Content-Length, not parsed.
  const total = 210 * MB;
  const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, path: uploadPath('video'), method: 'POST', headers: { host: acme, cookie, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(total) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(MB);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  expect(status.status).toBe(413);
  expect(JSON.parse(status.body).error).toBe('The upload is 210.0 MB; no file may be larger than 200 MB.');
});
