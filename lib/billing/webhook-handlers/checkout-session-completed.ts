import type Stripe from 'stripe';
import { fulfilCourseOrder } from '../course-sales';
import { idOf } from '../stripe';
import { customerOf, syncStripeCustomer, WebhookRefused } from '../sync';
import type { StripeEventHandler } from './types';

/**
 * A Checkout session finished. Subscription mode: the customer must belong to the organisation the session
 * names, then the plan converges from Stripe. Payment mode: a course order is fulfilled.
 */
export const checkoutSessionCompleted: StripeEventHandler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode === 'payment') return fulfilCourseOrder(tx, session);
  if (session.mode !== 'subscription') return 'ignored: not a Lectern checkout';
  if (!session.client_reference_id) throw new WebhookRefused(`checkout session ${session.id} names no organisation`);
  if (!idOf(session.subscription)) return 'ignored: no subscription yet';
  const result = await syncStripeCustomer(tx, customerOf(session), { expectTenantId: session.client_reference_id });
  return `synced: ${result.plan} ${result.status}`;
};
