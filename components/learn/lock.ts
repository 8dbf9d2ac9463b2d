import type { getFormatter, getTranslations } from 'next-intl/server';
import type { LockState } from '@/lib/courses/release';
import { formatMoment } from './format';

type T = Awaited<ReturnType<typeof getTranslations>>;
type Format = Awaited<ReturnType<typeof getFormatter>>;

/**
 * Why an item is locked and when it opens, in the reader's words: "Complete “Welcome” first",
 * "Opens on December 3, 2026, 09:00 UTC", or both. `t` is the `player` namespace.
 */
export function lockReason(t: T, format: Format, lock: LockState, titleOf: (itemId: string) => string | undefined): string | null {
  if (!lock.locked) return null;
  if (lock.reason === 'date') return t('lockedUntil', { date: formatMoment(format, lock.opensAt) });
  const title = titleOf(lock.prerequisiteItemId) ?? t('earlierItem');
  return lock.opensAt ? t('lockedBoth', { title, date: formatMoment(format, lock.opensAt) }) : t('lockedPrerequisite', { title });
}
