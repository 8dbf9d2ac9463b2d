import { getFormatter, getTranslations } from 'next-intl/server';
import { formatDay } from '@/components/learn/format';

/** "Valid", or "Revoked on <date>" with its reason: the same words in the learner's list and the admin's. */
export async function CertificateStatus({ revokedAt, reason }: { revokedAt: Date | null; reason?: string | null }) {
  const [t, format] = await Promise.all([getTranslations('certificates.status'), getFormatter()]);
  if (!revokedAt) {
    return <span className="inline-flex items-center rounded-full bg-green-100 px-2.5 py-0.5 text-xs font-semibold text-green-900">{t('valid')}</span>;
  }
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <span className="inline-flex items-center rounded-md bg-red-100 px-2.5 py-0.5 text-xs font-semibold text-red-900">{t('revokedOn', { date: formatDay(format, revokedAt) })}</span>
      {reason && <span className="text-xs text-slate-700">{t('reason', { reason })}</span>}
    </span>
  );
}
