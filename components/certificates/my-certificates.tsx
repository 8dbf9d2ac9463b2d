import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { formatDay } from '@/components/learn/format';
import { buttonClass } from '@/components/ui/button';
import type { MyCertificate } from '@/lib/certificates/service';
import { CertificateStatus } from './certificate-status';

/** The learner's certificates: what, when, the code, valid or revoked, and the PDF (valid ones only). */
export async function MyCertificates({ rows }: { rows: MyCertificate[] }) {
  const [t, format] = await Promise.all([getTranslations('certificates.mine'), getFormatter()]);
  if (!rows.length) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
        <h2 className="text-lg font-semibold">{t('emptyTitle')}</h2>
        <p className="mt-1 text-slate-600">{t('emptyBody')}</p>
        <Link href="/learn" className={buttonClass('primary', 'mt-6')}>
          {t('emptyAction')}
        </Link>
      </div>
    );
  }
  return (
    <ul className="space-y-4">
      {rows.map((c) => (
        <li key={c.id} id={`certificate-${c.id}`} className="scroll-mt-24 rounded-xl border border-slate-200 bg-white p-5 shadow-sm target:ring-2 target:ring-brand" data-testid="my-certificate">
          <div className="flex flex-wrap items-start justify-between gap-4">
            <div className="min-w-0">
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">{c.kind === 'program' ? t('kindProgram') : t('kindCourse')}</p>
              <h2 className="mt-1 text-lg font-semibold leading-snug">{c.title}</h2>
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-600">{t('issued')}</dt>
                <dd>
                  <time dateTime={c.issuedAt.toISOString()}>{formatDay(format, c.issuedAt)}</time>
                </dd>
                <dt className="text-slate-600">{t('code')}</dt>
                <dd className="font-mono" data-testid="certificate-code">
                  {c.code}
                </dd>
                <dt className="text-slate-600">{t('status')}</dt>
                <dd>
                  <CertificateStatus revokedAt={c.revokedAt} reason={c.revokedReason} />
                </dd>
              </dl>
            </div>
            <div className="flex flex-wrap gap-2">
              {!c.revokedAt && (
                // A plain link: the route answers with Content-Disposition: attachment, so the browser downloads it.
                <a href={`/account/certificates/${c.id}/pdf`} className={buttonClass('primary')} aria-label={t('downloadLabel', { title: c.title })} download>
                  {t('download')}
                </a>
              )}
              <Link href={`/verify/${c.code}`} className={buttonClass('secondary')} aria-label={t('verifyLabel', { title: c.title })}>
                {t('verify')}
              </Link>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
