/**
 * Webhooks in the admin area: the owner adds an endpoint (a receiver this spec runs on 127.0.0.1; the e2e
 * server allows private addresses), copies the secret shown once, sends a test event that the receiver gets
 * signed — checked with the official standardwebhooks package — and sees it in the delivery log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { expectAccessible, signIn, tenantUrl, unique } from './helpers';

const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
});

test.beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test('an admin adds an endpoint, sees its secret once, sends a test event and finds it in the delivery log', async ({ page }) => {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lectern-${unique()}`;
  await signIn(page, 'acme', 'owner@acme.test', undefined, '/admin/webhooks');
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expectAccessible(page, 'Webhooks');

  // A form without events is refused with a message on the events.
  const form = page.getByRole('form', { name: 'Add an endpoint' });
  await form.getByLabel('Endpoint URL').fill(url);
  await form.getByLabel('Description (optional)').fill('Spec receiver');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(form.getByText('Choose at least one event to send to this endpoint.')).toBeVisible();

  await form.getByRole('checkbox', { name: /enrolment\.created/ }).check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secretBox = page.getByTestId('webhook-secret-box');
  await expect(secretBox).toContainText('shown only this once');
  const secret = await secretBox.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const row = page.getByTestId('webhook-endpoint').filter({ hasText: url });
  await expect(row).toContainText('enrolment.created');
  await expect(row).toContainText('Enabled');
  await page.screenshot({ path: 'test-results/webhooks-list.png', fullPage: true });

  // Shown once: it is gone after a reload.
  await page.reload();
  await expect(page.getByTestId('webhook-secret-box')).toHaveCount(0);

  await page.getByRole('link', { name: url }).click();
  await expect(page.getByRole('heading', { name: url, level: 1 })).toBeVisible();
  await expect(page.getByText('Nothing has been sent to this endpoint yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByTestId('webhook-notice')).toContainText('Test event delivered: your endpoint answered HTTP 204.');

  const hit = received.find((r) => r.headers['webhook-id']);
  expect(hit, 'the receiver got the test event').toBeDefined();
  expect(new Webhook(secret).verify(hit!.body, hit!.headers)).toMatchObject({ type: 'webhook.test' });

  const delivery = page.getByTestId('webhook-delivery');
  await expect(delivery).toHaveCount(1);
  await expect(delivery).toContainText('webhook.test');
  await expect(delivery).toContainText('Delivered');
  await expect(delivery).toContainText('204');
  await delivery.getByRole('button', { name: /^Replay webhook\.test/ }).click();
  await expect(delivery.getByRole('status')).toHaveText('Delivered (HTTP 204).');
  await expect(delivery.getByRole('cell', { name: '2', exact: true }), 'two attempts now').toBeVisible();
  expect(received.filter((r) => r.headers['webhook-id'] === hit!.headers['webhook-id'])).toHaveLength(2);
  await expectAccessible(page, 'Webhook endpoint');
  await page.screenshot({ path: 'test-results/webhooks-endpoint.png', fullPage: true });

  // Disabling asks first; a disabled endpoint says so.
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await page.getByRole('dialog', { name: 'Disable this endpoint?' }).getByRole('button', { name: 'Disable endpoint' }).click();
  await expect(page.getByText('This endpoint is disabled: no events are sent to it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enable', exact: true })).toBeVisible();

  // Deleting asks first, then the list no longer has it.
  await page.getByRole('button', { name: 'Delete endpoint' }).click();
  await page.getByRole('dialog', { name: 'Delete this endpoint?' }).getByRole('button', { name: 'Delete endpoint' }).click();
  await expect(page.getByText('Endpoint deleted.')).toBeVisible();
  await expect(page.getByTestId('webhook-endpoint').filter({ hasText: url })).toHaveCount(0);
});

test('a learner cannot open the webhooks page', async ({ page }) => {
  await signIn(page, 'acme', 'learner12@acme.test');
  const res = await page.goto(tenantUrl('acme', '/admin/webhooks'));
  expect(res?.status()).toBe(403);
});
