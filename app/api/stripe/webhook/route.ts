import { processStripeWebhook } from '@/lib/billing/webhook';

/** Stripe webhooks (root domain and every organisation's subdomain): the raw body is what Stripe signed. */
export async function POST(req: Request) {
  const outcome = await processStripeWebhook(await req.text(), req.headers.get('stripe-signature'));
  if (outcome.status === 200) return Response.json({ received: true, result: outcome.result });
  return Response.json(
    { type: `https://lectern.app/problems/stripe-webhook-${outcome.result}`, title: 'Stripe webhook refused', status: outcome.status, detail: outcome.detail },
    { status: outcome.status, headers: { 'content-type': 'application/problem+json' } },
  );
}
