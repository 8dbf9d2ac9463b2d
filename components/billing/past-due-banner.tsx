import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import type { Entitlements } from '@/lib/billing/entitlements';

/** While a payment is overdue: the grace period's end, or that new seats are frozen, with a link to fix it. */
export async function PastDueBanner({ entitlements, showAction = true }: { entitlements: Pick<Entitlements, 'pastDue'>; showAction?: boolean }) {
  const due = entitlements.pastDue;
  if (!due) return null;
  const [t, format] = await Promise.all([getTranslations('billing'), getFormatter()]);
  const date = (d: Date) => format.dateTime(d, { dateStyle: 'long' });
  return (
    <Alert tone={due.locked ? 'error' : 'warning'}>
      {due.locked ? t('pastDueLocked', { since: date(due.since) }) : t('pastDueBanner', { since: date(due.since), until: date(due.graceEndsAt) })}
      {showAction && (
        <>
          {' '}
          <a href="/admin/billing" className="font-medium underline">
            {t('pastDueAction')}
          </a>
        </>
      )}
    </Alert>
  );
}
