/**
 * The server browser tests run against: a fresh embedded PostgreSQL in a temp folder (never the
 * developer's .data/), migrated and seeded with the demo organisations, and `next start` on E2E_PORT.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeStripe } from '../support/fake-stripe';
import { serverInfoFile, type ServerInfo } from './server-info';

const port = process.env.E2E_PORT ?? '3100';
// A folder of its own per run: a second run never touches another run's live database.
const dataDir = mkdtempSync(path.join(os.tmpdir(), `lectern-e2e-${port}-`));
chmodSync(dataDir, 0o755); // reachable by the postgres OS user when run as root, so the data stays inside
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
process.env.LECTERN_DATA_DIR = dataDir;
process.env.LECTERN_DB_PORT = process.env.E2E_DB_PORT ?? '54339';
process.env.PORT = port;
process.env.LECTERN_ROOT_DOMAIN = `localhost:${port}`;
delete process.env.DATABASE_URL;
delete process.env.APP_DATABASE_URL;
process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
// Billing against a local fake Stripe (API, hosted Checkout and Portal pages, signed webhooks to this server).
const webhookSecret = `whsec_e2e${randomBytes(12).toString('hex')}`;
const stripe = await startFakeStripe({ webhookSecret, webhookUrl: `http://localhost:${port}/api/stripe/webhook` });
stripe.createPrice({ id: 'price_team', unitAmount: 800, nickname: 'Team' });
stripe.createPrice({ id: 'price_business', unitAmount: 1500, nickname: 'Business' });
Object.assign(process.env, {
  STRIPE_SECRET_KEY: 'sk_test_e2e',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_API_BASE: stripe.apiBase,
  STRIPE_PRICE_TEAM: 'price_team',
  STRIPE_PRICE_BUSINESS: 'price_business',
});
// Webhook specs run their receiver on 127.0.0.1: the development allowance for private addresses.
process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
// For specs that set up rows directly or sign URLs themselves (server-info.ts).
const infoFile = serverInfoFile(port);
const info: ServerInfo = { dataDir, dbPort: Number(process.env.LECTERN_DB_PORT), authSecret: process.env.AUTH_SECRET, stripeApiBase: stripe.apiBase };
writeFileSync(infoFile, JSON.stringify(info), { mode: 0o600 });
process.on('exit', () => rmSync(infoFile, { force: true }));
await import('../../scripts/start');
