import type Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { withGlobal, schema } from '@/db/client';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';
import { billingConfigured, stripe, WEBHOOK_TOLERANCE_SECONDS } from './stripe';
import { WebhookRefused } from './sync';
import { checkoutSessionAsyncPaymentSucceeded } from './webhook-handlers/checkout-session-async-payment-succeeded';
import { checkoutSessionCompleted } from './webhook-handlers/checkout-session-completed';
import { customerSubscriptionCreated } from './webhook-handlers/customer-subscription-created';
import { customerSubscriptionDeleted } from './webhook-handlers/customer-subscription-deleted';
import { customerSubscriptionUpdated } from './webhook-handlers/customer-subscription-updated';
import { invoicePaid } from './webhook-handlers/invoice-paid';
import { invoicePaymentFailed } from './webhook-handlers/invoice-payment-failed';
import type { StripeEventHandler } from './webhook-handlers/types';

/** The event types Lectern acts on, each with its own handler; any other type is acknowledged and ignored. */
export const STRIPE_EVENT_HANDLERS: Readonly<Record<string, StripeEventHandler>> = {
  'checkout.session.completed': checkoutSessionCompleted,
  'checkout.session.async_payment_succeeded': checkoutSessionAsyncPaymentSucceeded,
  'customer.subscription.created': customerSubscriptionCreated,
  'customer.subscription.updated': customerSubscriptionUpdated,
  'customer.subscription.deleted': customerSubscriptionDeleted,
  'invoice.paid': invoicePaid,
  'invoice.payment_failed': invoicePaymentFailed,
};

export type WebhookOutcome =
  | { status: 200; result: 'applied' | 'duplicate' | 'ignored'; detail: string }
  | { status: 400; result: 'bad-signature' | 'not-configured'; detail: string }
  | { status: 422; result: 'refused'; detail: string };

/**
 * Handle one Stripe webhook delivery: verify the signature over the raw body (5-minute tolerance), skip
 * types not on the allow-list, then record the event id and apply it in ONE transaction. A replay finds
 * the id recorded and changes nothing; a failure rolls both back so Stripe's retry can apply it.
 * Refusals (unknown customer or price, tampered ids or amounts) are logged and change nothing.
 */
export async function processStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  if (!billingConfigured()) return { status: 400, result: 'not-configured', detail: 'billing is not configured' };
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error('no Stripe-Signature header');
    event = stripe().webhooks.constructEvent(rawBody, signature, env().STRIPE_WEBHOOK_SECRET!, WEBHOOK_TOLERANCE_SECONDS);
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'signature check failed';
    logger.warn({ detail }, 'stripe webhook: signature refused');
    return { status: 400, result: 'bad-signature', detail };
  }
  const log = logger.child({ stripeEventId: event.id, stripeEventType: event.type });
  const handler = STRIPE_EVENT_HANDLERS[event.type];
  if (!handler) {
    log.info('stripe webhook: event type not handled');
    return { status: 200, result: 'ignored', detail: `${event.type} is not handled` };
  }
  try {
    const outcome = await withGlobal(async (tx) => {
      // The insert waits on a concurrent delivery of the same event, then sees it recorded.
      const recorded = await tx
        .insert(schema.stripeEvents)
        .values({ id: event.id, type: event.type, stripeCreatedAt: new Date(event.created * 1000), outcome: 'processing' })
        .onConflictDoNothing()
        .returning({ id: schema.stripeEvents.id });
      if (!recorded.length) return { result: 'duplicate' as const, detail: 'already applied' };
      const detail = await handler(tx, event);
      await tx.update(schema.stripeEvents).set({ outcome: detail.slice(0, 200) }).where(eq(schema.stripeEvents.id, event.id));
      return { result: 'applied' as const, detail };
    });
    log.info({ result: outcome.result, detail: outcome.detail }, 'stripe webhook');
    return { status: 200, ...outcome };
  } catch (e) {
    if (e instanceof WebhookRefused) {
      log.warn({ reason: e.reason }, 'stripe webhook: refused');
      return { status: 422, result: 'refused', detail: e.reason };
    }
    throw e;
  }
}
