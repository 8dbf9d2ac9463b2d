import type Stripe from 'stripe';
import { convergeCustomerOf } from '../sync';
import type { StripeEventHandler } from './types';

export const customerSubscriptionUpdated: StripeEventHandler = (tx, event) => convergeCustomerOf(tx, event.data.object as Stripe.Subscription);
