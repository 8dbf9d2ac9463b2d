import http from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, PORT, rootUrl, signIn, tenantUrl, unique } from './helpers';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Node does not resolve *.localhost: talk to 127.0.0.1 and name the host in the Host header. */
function request(path: string, opts: { host?: string; key?: string; method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: opts.host ?? `acme.localhost:${PORT}`, accept: 'application/json' };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    const req = http.request({ host: '127.0.0.1', port: PORT, path, method: opts.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/api-keys-${name}.png`, fullPage: true });

const problemType = (a: Answer) => (JSON.parse(a.body) as { type: string }).type.replace('https://lectern.app/problems/', '');

test.describe('API keys', () => {
  test('an admin creates a scoped key, sees it once, the real server answers it, and revoking it refuses the next request', async ({ page }) => {
    await signIn(page, 'acme', 'owner@acme.test');
    await page.goto(tenantUrl('acme', '/admin/api-keys'));
    await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
    await expectAccessible(page, 'API keys');

    const name = `Workday sync ${unique()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    // Reads are offered by default: keep courses, drop members, add enrolment writes.
    await page.getByRole('checkbox', { name: 'Members: Read' }).uncheck();
    await page.getByRole('checkbox', { name: 'Enrolments: Write' }).check();
    await page.getByLabel('Expires').selectOption({ label: 'In 30 days' });
    await page.getByRole('button', { name: 'Create key' }).click();

    const secret = page.getByLabel('Copy your new key now');
    await expect(secret).toHaveValue(/^lk_acme_[0-9a-f]{40}$/);
    const key = await secret.inputValue();
    await expect(page.getByText('This is the only time Lectern shows it')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Copy', exact: true })).toBeVisible();
    await expectAccessible(page, 'API keys with a new key shown');
    await shot(page, 'created');
    const row = page.getByTestId('api-key-row').filter({ hasText: name });
    await expect(row).toContainText('courses:read');
    await expect(row).toContainText('enrolments:write');
    await expect(row).not.toContainText('members:read');
    await expect(row).toContainText(key.slice(0, 'lk_acme_'.length + 8));
    await expect(row).toContainText('Not used yet');
    await expect(row).toContainText('Active');

    // Shown once: after a reload only the prefix is left.
    await page.reload();
    await expect(page.getByTestId('api-key-row').filter({ hasText: name })).toBeVisible();
    await expect(page.getByTestId('secret-value')).toHaveCount(0);
    expect(await page.content()).not.toContain(key);

    // The real server, on the organisation's host and on the root domain: the key decides the organisation.
    for (const host of [`acme.localhost:${PORT}`, `localhost:${PORT}`]) {
      const courses = await request('/api/v1/courses?limit=2', { host, key });
      expect(courses.status, `${host}: ${courses.body}`).toBe(200);
      expect(courses.headers['content-type']).toContain('application/json');
      expect(courses.headers['x-request-id']).toBeTruthy();
      expect(courses.headers['ratelimit-limit']).toMatch(/^\d+$/);
      expect(courses.headers['ratelimit-remaining']).toMatch(/^\d+$/);
      expect(courses.headers.etag).toMatch(/^W\/"/);
      const page1 = JSON.parse(courses.body) as { data: { id: string; title: string }[]; next_cursor: string | null };
      expect(page1.data.length).toBeGreaterThan(0);
      expect(page1.data.length).toBeLessThanOrEqual(2);
      if (page1.next_cursor) expect(courses.headers.link).toBe(`<http://${host}/api/v1/courses?limit=2&cursor=${page1.next_cursor}>; rel="next"`);
    }
    const notChosen = await request('/api/v1/members', { key });
    expect(notChosen.status).toBe(403);
    expect(problemType(notChosen)).toBe('insufficient-scope');
    expect(notChosen.headers['content-type']).toContain('application/problem+json');

    await page.reload();
    await expect(page.getByTestId('api-key-row').filter({ hasText: name })).not.toContainText('Not used yet');

    // Revoke, behind a confirmation.
    await page.getByTestId('api-key-row').filter({ hasText: name }).getByRole('button', { name: `Revoke key ${name}` }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('refused at once');
    await expectAccessible(page, 'the revoke confirmation');
    await shot(page, 'revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('api-key-row').filter({ hasText: name })).toContainText('Revoked');
    await shot(page, 'revoked');
    const refused = await request('/api/v1/courses', { key });
    expect(refused.status).toBe(401);
    expect(problemType(refused)).toBe('key-revoked');
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  test('the OpenAPI document, the reference page and a problem for unknown paths are served', async ({ page }) => {
    const doc = await request('/api/v1/openapi.json', { host: `localhost:${PORT}` });
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toContain('json');
    const json = JSON.parse(doc.body) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(json.openapi).toBe('3.1.0');
    expect(json.info.title).toBe('Lectern REST API');
    expect(Object.keys(json.paths)).toContain('/api/v1/enrolments');

    const unknown = await request('/api/v1/no-such-thing', { key: 'lk_acme_0000000000000000000000000000000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(problemType(unknown)).toBe('not-found');
    expect(unknown.headers['x-request-id']).toBeTruthy();

    // A known path with a method it does not serve: a 405 problem that names the allowed methods.
    const wrongMethod = await request('/api/v1/courses', { key: 'lk_acme_0000000000000000000000000000000000000000', method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['content-type']).toContain('application/problem+json');
    expect(problemType(wrongMethod)).toBe('method-not-allowed');
    expect(wrongMethod.headers.allow).toBe('GET');

    await page.goto(rootUrl('/api/v1/docs'));
    await expect(page.getByRole('heading', { name: 'Lectern REST API', level: 1 })).toBeVisible();
    await expect(page.getByText('/api/v1/enrolments').first()).toBeVisible();
    await expectAccessible(page, 'the API reference');
    await shot(page, 'reference');
  });
});
