import { env, type Env } from '@/lib/env';

export const PLAN_IDS = ['free', 'team', 'business'] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export const PAID_PLAN_IDS = ['team', 'business'] as const;
export type PaidPlanId = (typeof PAID_PLAN_IDS)[number];

export type Plan = {
  id: PlanId;
  /** Seats (active learner memberships) included; paid plans sell seats one by one between min and max. */
  seats: { included: number } | { min: number; max: number };
  /** Published courses allowed at once; null is unlimited. */
  publishedCourses: number | null;
  /** May sell priced courses to the public. */
  sellsCourses: boolean;
  /** The environment variable holding the Stripe price id (per seat, per month). */
  priceEnv: 'STRIPE_PRICE_TEAM' | 'STRIPE_PRICE_BUSINESS' | null;
};

/** The plans. Prices live in Stripe (ids from the environment); limits live here, in one place. */
export const PLANS: Record<PlanId, Plan> = {
  free: { id: 'free', seats: { included: 25 }, publishedCourses: 3, sellsCourses: false, priceEnv: null },
  team: { id: 'team', seats: { min: 10, max: 1_000 }, publishedCourses: null, sellsCourses: true, priceEnv: 'STRIPE_PRICE_TEAM' },
  business: { id: 'business', seats: { min: 50, max: 100_000 }, publishedCourses: null, sellsCourses: true, priceEnv: 'STRIPE_PRICE_BUSINESS' },
};

export function isPlanId(value: string): value is PlanId {
  return (PLAN_IDS as readonly string[]).includes(value);
}

/** The Stripe price id of a paid plan, or null when billing is not configured. */
export function priceIdFor(plan: PaidPlanId, e: Env = env()): string | null {
  const name = PLANS[plan].priceEnv!;
  return e[name] ?? null;
}

/** Which paid plan a Stripe price id belongs to; null for a price Lectern does not sell. */
export function planForPrice(priceId: string, e: Env = env()): PaidPlanId | null {
  return PAID_PLAN_IDS.find((p) => priceIdFor(p, e) === priceId) ?? null;
}

/** The seat range a paid plan can be bought with. */
export function seatRange(plan: PaidPlanId): { min: number; max: number } {
  const seats = PLANS[plan].seats;
  return 'min' in seats ? seats : { min: seats.included, max: seats.included };
}
