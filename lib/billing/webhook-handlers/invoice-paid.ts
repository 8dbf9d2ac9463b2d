import type Stripe from 'stripe';
import { convergeCustomerOf } from '../sync';
import type { StripeEventHandler } from './types';

/** A paid invoice can end a past-due period; the subscription's status is re-read from Stripe. */
export const invoicePaid: StripeEventHandler = async (tx, event) => {
  const invoice = event.data.object as Stripe.Invoice;
  if (!invoice.parent?.subscription_details) return 'ignored: not a subscription invoice';
  return convergeCustomerOf(tx, invoice);
};
