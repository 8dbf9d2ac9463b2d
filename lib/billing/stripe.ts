import Stripe from 'stripe';
import { env, type Env } from '@/lib/env';

/** Stripe's webhook signature tolerance: events signed more than five minutes ago are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Billing runs only with a Stripe secret key; without one every organisation has the Free limits (or a grant). */
export function billingConfigured(e: Env = env()): boolean {
  return !!e.STRIPE_SECRET_KEY;
}

let client: { key: string; base: string | undefined; stripe: Stripe } | undefined;

/** The Stripe client (pointed at STRIPE_API_BASE when set, e.g. a local fake). Throws when billing is off. */
export function stripe(e: Env = env()): Stripe {
  const key = e.STRIPE_SECRET_KEY;
  if (!key) throw new Error('Stripe is not configured (STRIPE_SECRET_KEY is unset)');
  if (client?.key === key && client.base === e.STRIPE_API_BASE) return client.stripe;
  const base = e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : null;
  const instance = new Stripe(key, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Lectern' },
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === 'https:' ? 443 : 80), protocol: base.protocol === 'https:' ? 'https' : 'http' } : {}),
  });
  client = { key, base: e.STRIPE_API_BASE, stripe: instance };
  return instance;
}

/** Stripe's nested references are ids or expanded objects; Lectern only needs the id. */
export function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}
