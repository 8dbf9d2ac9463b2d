import http from 'node:http';
import { expect, test } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);

/** Node does not resolve *.localhost, so talk to 127.0.0.1 and name the organisation in the Host header. */
function get(path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const root = `localhost:${port}`;
const acme = `acme.localhost:${port}`;

test.describe('HTTP surface', () => {
  test('liveness and readiness answer, readiness checks the database', async () => {
    const health = await get('/api/health', root);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const ready = await get('/api/ready', acme);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', database: 'ok' });
  });

  test('every response carries a request id, and a sane incoming one is kept', async () => {
    const a = await get('/', acme);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const b = await get('/sign-in', acme, { 'x-request-id': 'trace-1234abcd' });
    expect(b.headers['x-request-id']).toBe('trace-1234abcd');
    const c = await get('/sign-in', acme, { 'x-request-id': 'bad id with spaces <script>' });
    expect(c.headers['x-request-id']).not.toContain('script');
  });

  test('hostile and unknown hosts get a 404, never a 500 or another organisation', async () => {
    for (const host of [`nope-org.${root}`, `api.${root}`, `a.acme.${root}`, 'evil.example', `-x-.${root}`, `acme.${root}.evil.example`]) {
      const res = await get('/', host);
      expect(res.status, host).toBe(404);
      expect(res.body).not.toContain('Acme Academy');
    }
    const www = await get('/signup', `www.${root}`);
    expect(www.status).toBe(200);
    expect(www.body).toContain('Create your organisation');
  });

  test('the internal tenant segment is unreachable from the root domain and from another organisation', async () => {
    expect((await get('/t/acme/admin', root)).status).toBe(404);
    const cross = await get('/t/globex', acme);
    expect(cross.status).toBe(404);
    expect(cross.body).not.toContain('Globex University');
  });

  test('a spoofed X-Forwarded-Host does not move sign-in redirects to another host', async () => {
    const res = await get('/api/auth/signin', acme, { 'x-forwarded-host': 'evil.example' });
    expect(res.status).toBeLessThan(500);
    expect(String(res.headers.location ?? '')).not.toContain('evil.example');
  });

  test('bad tokens get a clear page, not an error', async () => {
    const handoff = await get('/auth/handoff?token=not-a-real-token', acme);
    expect([302, 303, 307]).toContain(handoff.status);
    expect(handoff.headers.location).toContain('/sign-in?handoff=expired');
    const invite = await get(`/invite/${'x'.repeat(300)}`, acme);
    expect(invite.status).toBe(200);
    expect(invite.body).toContain('This invitation link is not valid');
    const logo = await get('/brand/logo/not-a-uuid', acme);
    expect(logo.status).toBe(404);
  });

  test('security headers are set', async () => {
    const res = await get('/sign-in', acme);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
