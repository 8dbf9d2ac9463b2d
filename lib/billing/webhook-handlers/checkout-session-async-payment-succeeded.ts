import type Stripe from 'stripe';
import { fulfilCourseOrder } from '../course-sales';
import type { StripeEventHandler } from './types';

/** A delayed payment method (bank debit) for a course order cleared. */
export const checkoutSessionAsyncPaymentSucceeded: StripeEventHandler = async (tx, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode !== 'payment') return 'ignored: not a course order';
  return fulfilCourseOrder(tx, session);
};
