import { useFormatter, useTranslations } from 'next-intl';

export type EndpointHealth = { enabled: boolean; disabledReason: string | null; failingSince: Date | null };

/** Enabled, failing since when, or disabled (by an admin, or by Lectern after days of failures). */
export function EndpointStatusBadge({ endpoint }: { endpoint: EndpointHealth }) {
  const t = useTranslations('webhooks.status');
  const format = useFormatter();
  const [tone, label] = !endpoint.enabled
    ? ['bg-slate-200 text-slate-800', endpoint.disabledReason === 'failing' ? t('disabledFailing') : t('disabled')]
    : endpoint.failingSince
      ? ['bg-red-100 text-red-900', t('failingSince', { date: format.dateTime(endpoint.failingSince, { dateStyle: 'medium', timeStyle: 'short' }) })]
      : ['bg-green-100 text-green-900', t('enabled')];
  return <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tone}`}>{label}</span>;
}
