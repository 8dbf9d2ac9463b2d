import type Stripe from 'stripe';
import { convergeCustomerOf } from '../sync';
import type { StripeEventHandler } from './types';

/** A failed payment starts the past-due grace period; the subscription's status is re-read from Stripe. */
export const invoicePaymentFailed: StripeEventHandler = async (tx, event) => {
  const invoice = event.data.object as Stripe.Invoice;
  if (!invoice.parent?.subscription_details) return 'ignored: not a subscription invoice';
  return convergeCustomerOf(tx, invoice);
};
