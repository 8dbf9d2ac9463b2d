/** Release rules: an item opens when its prerequisite is complete and its drip date has come. */
export type ReleaseRule = { prerequisiteItemId: string | null; releaseAt: Date | null; releaseAfterDays: number | null };

export type LockState =
  | { locked: false }
  | { locked: true; reason: 'prerequisite'; prerequisiteItemId: string; opensAt: Date | null }
  | { locked: true; reason: 'date'; opensAt: Date };

const DAY = 86_400_000;

/**
 * When the item's drip rule opens it for this learner (the later of both rules), or null if no date rule.
 * Someone not enrolled yet (a pending request) counts from `now`: the days start when they are let in.
 */
export function opensAt(rule: ReleaseRule, enrolledAt: Date | null, now = new Date()): Date | null {
  const dates: number[] = [];
  if (rule.releaseAt) dates.push(rule.releaseAt.getTime());
  if (rule.releaseAfterDays != null) dates.push((enrolledAt ?? now).getTime() + rule.releaseAfterDays * DAY);
  return dates.length ? new Date(Math.max(...dates)) : null;
}

/**
 * Whether an item is locked for a learner, and why. Staff previews pass `staff: true` and see everything.
 * The server calls this before showing content or recording completion, so hiding in the UI is not the guard.
 */
export function lockState(rule: ReleaseRule, learner: { completed: ReadonlySet<string>; enrolledAt: Date | null; staff?: boolean }, now = new Date()): LockState {
  if (learner.staff) return { locked: false };
  const date = opensAt(rule, learner.enrolledAt, now);
  if (rule.prerequisiteItemId && !learner.completed.has(rule.prerequisiteItemId)) {
    return { locked: true, reason: 'prerequisite', prerequisiteItemId: rule.prerequisiteItemId, opensAt: date && date > now ? date : null };
  }
  if (date && date > now) return { locked: true, reason: 'date', opensAt: date };
  return { locked: false };
}

/** True when making `itemId` wait on `prerequisiteId` would close a loop of prerequisites. */
export function wouldCycle(itemId: string, prerequisiteId: string, prerequisiteOf: ReadonlyMap<string, string | null>): boolean {
  let current: string | null | undefined = prerequisiteId;
  const seen = new Set<string>();
  while (current) {
    if (current === itemId) return true;
    if (seen.has(current)) return false;
    seen.add(current);
    current = prerequisiteOf.get(current);
  }
  return false;
}
