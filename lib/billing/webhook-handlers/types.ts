import type Stripe from 'stripe';
import type { Tx } from '@/db/client';

/** One Stripe event type's handler: runs in the transaction that records the event id; returns what it did. */
export type StripeEventHandler = (tx: Tx, event: Stripe.Event) => Promise<string>;
