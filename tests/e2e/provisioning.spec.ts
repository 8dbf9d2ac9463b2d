/**
 * Provisioning in the browser: an admin creates a SCIM token on /admin/provisioning and sees it once; an
 * identity provider (this spec, over node:http) provisions a person with it, who then shows in the members
 * list; deactivating them through SCIM shows the "Deactivated" badge there.
 */
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { expectAccessible, PORT, signIn, tenantUrl, unique } from './helpers';

const ADMIN = 'admin@acme.test';

/** A SCIM request as an identity provider sends it (Node cannot resolve *.localhost: connect to loopback). */
function scim(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path: `/scim/v2/${path}`,
        headers: { host: `acme.localhost:${PORT}`, authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

test('an admin creates a token, an identity provider provisions and deactivates someone with it', async ({ page }) => {
  const tokenName = `Okta ${unique()}`;
  const email = `scim-${unique()}@corp.test`;
  await signIn(page, 'acme', ADMIN);
  await page.goto(tenantUrl('acme', '/admin/provisioning'));
  await expect(page.getByRole('heading', { name: 'Provisioning (SCIM)', level: 1 })).toBeVisible();
  await expect(page.getByTestId('scim-base-url')).toHaveValue(`http://acme.localhost:${PORT}/scim/v2`);

  await page.getByLabel('Token name').fill(tokenName);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText('Token created. Copy it now: it will not be shown again.')).toBeVisible();
  const token = await page.getByTestId('scim-token').inputValue();
  expect(token).toMatch(/^scim_acme_[A-Za-z0-9]{32}$/);
  const row = page.getByTestId('scim-token-row').filter({ hasText: tokenName });
  await expect(row).toContainText(token.slice(0, 'scim_acme_'.length + 8));
  await expectAccessible(page, 'Provisioning');
  await page.screenshot({ path: 'test-results/provisioning-token.png', fullPage: true });

  // Shown once: after a reload the list names the token by its prefix only.
  await page.reload();
  await expect(page.getByTestId('scim-token')).toHaveCount(0);
  await expect(page.getByTestId('scim-token-row').filter({ hasText: tokenName })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  const created = await scim(token, 'POST', 'Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, name: { givenName: 'Provisioned', familyName: 'Person' }, active: true });
  expect(created.status).toBe(201);
  await page.goto(tenantUrl('acme', `/admin/members?q=${encodeURIComponent(email)}`));
  const member = page.getByTestId('member-row').filter({ hasText: email });
  await expect(member).toContainText('Provisioned Person');
  await expect(member.getByTestId('member-deactivated')).toHaveCount(0);

  const off = await scim(token, 'PATCH', `Users/${String(created.json.id)}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  expect(off.status).toBe(200);
  await page.reload();
  await expect(member.getByTestId('member-deactivated')).toHaveText('Deactivated');
  await expect(member.getByRole('button', { name: 'Reactivate Provisioned Person' })).toBeVisible();
  await expectAccessible(page, 'Members with a deactivated member');
  await page.screenshot({ path: 'test-results/provisioning-members.png', fullPage: true });

  // The IdP pushes a group with them in it; mapped to a role by the admin, it makes them an instructor.
  const groupName = `Teachers ${unique()}`;
  const group = await scim(token, 'POST', 'Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: groupName, members: [{ value: created.json.id }] });
  expect(group.status).toBe(201);
  await page.goto(tenantUrl('acme', '/admin/provisioning'));
  const groupRow = page.getByTestId('scim-group-row').filter({ hasText: groupName });
  await expect(groupRow).toContainText('1');
  await groupRow.getByLabel(`What ${groupName} maps to`).selectOption({ label: 'Role: Instructor' });
  await expect(groupRow.getByRole('status')).toHaveText('Mapping saved.');
  await page.goto(tenantUrl('acme', `/admin/members?q=${encodeURIComponent(email)}`));
  await expect(member.getByLabel('Role for Provisioned Person')).toHaveValue('instructor');

  // The provisioning page's activity names the token for its changes (the mapping's role change is the admin's).
  await page.goto(tenantUrl('acme', '/admin/provisioning'));
  await expect(page.getByTestId('scim-activity-row').filter({ hasText: email }).filter({ hasText: 'scim.user.created' })).toContainText(`SCIM token ${token.slice(0, 'scim_acme_'.length + 8)}`);
  await expectAccessible(page, 'Provisioning with a group');
  await page.screenshot({ path: 'test-results/provisioning-activity.png', fullPage: true });
});
