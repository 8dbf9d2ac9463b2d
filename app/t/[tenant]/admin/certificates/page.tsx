import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CertificateStatus } from '@/components/certificates/certificate-status';
import { RevokeDialog } from '@/components/certificates/revoke-dialog';
import { formatDay } from '@/components/learn/format';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listCertificates } from '@/lib/certificates/service';
import { reinstateCertificateAction, revokeCertificateAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('certificates.admin'))('title') };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | undefined>> };

/** Org admins: every certificate issued here, searchable, with revoke (reason required) and un-revoke. */
export default async function AdminCertificatesPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const sp = await searchParams;
  const [t, tk, format] = await Promise.all([getTranslations('certificates.admin'), getTranslations('certificates.mine'), getFormatter()]);
  const list = await withMember(ctx, (tx) => listCertificates(tx, ctx, { q: sp.q, status: sp.status as never, page: sp.page as never }));
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
      </div>
      <Card title={t('listTitle', { total: list.total })}>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label={t('searchLabel')}>
          <div className="min-w-56 flex-1">
            <label htmlFor="certificate-search" className="block text-sm font-medium">
              {t('search')}
            </label>
            <input id="certificate-search" name="q" type="search" defaultValue={list.q} placeholder={t('searchPlaceholder')} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
          </div>
          <div>
            <label htmlFor="certificate-status" className="block text-sm font-medium">
              {t('statusFilter')}
            </label>
            <select id="certificate-status" name="status" defaultValue={list.status ?? ''} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="">{t('allStatuses')}</option>
              <option value="valid">{t('statusValid')}</option>
              <option value="revoked">{t('statusRevoked')}</option>
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            {t('searchSubmit')}
          </button>
        </form>

        {list.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{list.q || list.status ? t('noMatches') : t('empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('title')}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('colLearner')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colCertificate')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colIssued')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colStatus')}</th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">{t('colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {list.rows.map((c) => (
                  <tr key={c.id} data-testid="certificate-row" data-code={c.code}>
                    <td className="py-2 pr-4">
                      <div className="font-medium">{c.recipientName}</div>
                      <div className="text-slate-600">{c.email}</div>
                    </td>
                    <td className="py-2 pr-4">
                      <div className="font-medium">{c.title}</div>
                      <div className="text-slate-600">
                        {c.kind === 'program' ? tk('kindProgram') : tk('kindCourse')} · <span className="font-mono whitespace-nowrap">{c.code}</span>
                      </div>
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap text-slate-600">
                      <time dateTime={c.issuedAt.toISOString()}>{formatDay(format, c.issuedAt)}</time>
                    </td>
                    <td className="py-2 pr-4">
                      <CertificateStatus revokedAt={c.revokedAt} reason={c.revokedReason} />
                    </td>
                    <td className="py-2">
                      <div className="flex flex-wrap justify-end gap-1">
                        <Link href={`/verify/${c.code}`} className={buttonClass('ghost')} aria-label={t('verifyLabel', { code: c.code })}>
                          {t('verify')}
                        </Link>
                        <a href={`/account/certificates/${c.id}/pdf`} className={buttonClass('ghost')} aria-label={t('downloadLabel', { code: c.code })} download>
                          {t('download')}
                        </a>
                        {c.revokedAt ? (
                          <ConfirmAction
                            action={reinstateCertificateAction}
                            hidden={{ certificateId: c.id, code: c.code }}
                            trigger={t('reinstate')}
                            triggerLabel={t('reinstateLabel', { code: c.code })}
                            triggerVariant="ghost"
                            title={t('reinstateTitle')}
                            body={t('reinstateBody', { name: c.recipientName, title: c.title, code: c.code })}
                            confirmLabel={t('reinstateConfirm')}
                            pendingLabel={t('reinstating')}
                          />
                        ) : (
                          <RevokeDialog action={revokeCertificateAction} certificateId={c.id} code={c.code} title={c.title} recipient={c.recipientName} />
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{ q: list.q || undefined, status: list.status }} />
      </Card>
    </main>
  );
}
