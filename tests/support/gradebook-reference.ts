/**
 * The gradebook rules (lib/gradebook/README.md) in plain TypeScript, one learner at a time, written for
 * clarity rather than speed. The SQL in lib/gradebook/compute.ts is checked against this on random data.
 * Scores are compared in whole cents, so ties and orderings are exact (no floating-point surprises).
 */

export type RefItem = { id: string; ord: number; categoryId: string | null };
export type RefCategory = { id: string; weight: number; dropLowest: number };
export type RefCell = { itemId: string; score: number | null; overrideScore: number | null; excused: boolean; pointsPossible: number; released: boolean };
export type RefResult = { total: number | null; categories: Map<string, { earned: number; possible: number }>; dropped: Set<string> };

const cents = (n: number) => Math.round(n * 100);

export function referenceTotals(items: RefItem[], categories: RefCategory[], cells: RefCell[], opts: { releasedOnly?: boolean } = {}): RefResult {
  const itemById = new Map(items.map((i) => [i.id, i]));
  const catById = new Map(categories.map((c) => [c.id, c]));
  const groups = new Map<string, { item: RefItem; counted: number; possible: number }[]>();
  for (const c of cells) {
    const item = itemById.get(c.itemId);
    if (!item) continue;
    if (opts.releasedOnly && !c.released) continue;
    if (c.excused) continue;
    const counted = c.overrideScore ?? c.score;
    if (counted === null) continue; // ungraded: does not count
    const key = item.categoryId && catById.has(item.categoryId) ? item.categoryId : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ item, counted: cents(counted), possible: cents(c.pointsPossible) });
  }
  const result: RefResult = { total: null, categories: new Map(), dropped: new Set() };
  for (const [key, list] of groups) {
    // Lowest percentage first; a zero-points item (no percentage) sorts last; ties by outline order.
    list.sort((a, b) => {
      if (a.possible === 0 || b.possible === 0) return a.possible === 0 && b.possible === 0 ? a.item.ord - b.item.ord : a.possible === 0 ? 1 : -1;
      const d = a.counted * b.possible - b.counted * a.possible;
      return d !== 0 ? d : a.item.ord - b.item.ord;
    });
    const drop = Math.min(catById.get(key)?.dropLowest ?? 0, list.length - 1);
    list.slice(0, drop).forEach((x) => result.dropped.add(x.item.id));
    const kept = list.slice(drop);
    result.categories.set(key, { earned: kept.reduce((n, x) => n + x.counted, 0) / 100, possible: kept.reduce((n, x) => n + x.possible, 0) / 100 });
  }
  const weighted = categories.reduce((n, c) => n + c.weight, 0) > 0;
  if (weighted) {
    let sum = 0;
    let weights = 0;
    for (const [key, r] of result.categories) {
      const w = catById.get(key)?.weight ?? 0;
      if (w > 0 && r.possible > 0) {
        sum += (w * r.earned) / r.possible;
        weights += w;
      }
    }
    result.total = weights > 0 ? (100 * sum) / weights : null;
  } else {
    let earned = 0;
    let possible = 0;
    for (const r of result.categories.values()) {
      earned += r.earned;
      possible += r.possible;
    }
    result.total = possible > 0 ? (100 * earned) / possible : null;
  }
  return result;
}

/** A small seeded PRNG (mulberry32): the same seed makes the same data, so a failure can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
