/**
 * `npx tsx scripts/fake-stripe.ts`: a local fake Stripe for trying billing without an account. It serves the
 * API, hosted checkout and billing portal on 127.0.0.1:$FAKE_STRIPE_PORT (12111) and sends signed webhooks to
 * $FAKE_STRIPE_WEBHOOK_URL (http://localhost:3000/api/stripe/webhook). Paste the printed lines into `.env`.
 * State is in memory: restarting it forgets every customer and subscription. SIGINT / SIGTERM stop it.
 */
import { startFakeStripe } from '@/tests/support/fake-stripe';

const port = Number(process.env.FAKE_STRIPE_PORT || 12111);
const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL || 'http://localhost:3000/api/stripe/webhook';
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET || 'whsec_lectern_local_fake';

const fake = await startFakeStripe({ port, webhookSecret, webhookUrl, log: (line) => console.log(`[fake-stripe] ${line}`) });
// Fixed ids, so the .env lines stay valid across restarts.
const team = fake.createPrice({ id: 'price_team', unitAmount: 800, nickname: 'Team' });
const business = fake.createPrice({ id: 'price_business', unitAmount: 1500, nickname: 'Business' });

console.log(`Fake Stripe listening on ${fake.url}; webhooks go to ${webhookUrl}
Team $8.00/seat/month (${team.id}), Business $15.00/seat/month (${business.id}).

Add to .env:
STRIPE_SECRET_KEY=sk_test_fake
STRIPE_WEBHOOK_SECRET=${webhookSecret}
STRIPE_API_BASE=${fake.apiBase}
STRIPE_PRICE_TEAM=${team.id}
STRIPE_PRICE_BUSINESS=${business.id}
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await fake.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
