import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getFormatter, getTranslations } from 'next-intl/server';
import { formatDay } from '@/components/learn/format';
import { requireTenant } from '@/lib/auth/guard';
import { withTenantOf } from '@/lib/auth/with-member';
import { getBranding } from '@/lib/branding/service';
import { verifyCertificate } from '@/lib/certificates/service';

type Props = { params: Promise<{ tenant: string; code: string }> };

const load = cache(async (slug: string, rawCode: string) => {
  const tenant = await requireTenant(slug);
  let code = rawCode;
  try {
    code = decodeURIComponent(rawCode);
  } catch {
    // Already decoded, or not a valid escape: look up as is (it cannot be a code either way).
  }
  const [branding, found] = await Promise.all([getBranding(tenant), withTenantOf(tenant, (tx) => verifyCertificate(tx, tenant.id, code))]);
  return { branding, found };
});

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('verify');
  return { title: t('title'), robots: { index: false } };
}

/**
 * Public verification (no sign-in, on the organisation's own site): who, what, when, by whom, and whether it
 * still stands. A code this organisation never issued — unknown, mistyped or another organisation's — is a 404
 * that says no more than that (not-found.tsx beside this page).
 */
export default async function VerifyPage({ params }: Props) {
  const { tenant, code } = await params;
  const { branding, found } = await load(tenant, code);
  if (!found) notFound();
  const [t, format] = await Promise.all([getTranslations('verify'), getFormatter()]);
  const revoked = found.revokedAt !== null;
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-6 py-12">
      <h1 className="text-3xl font-bold tracking-tight">{t('resultTitle')}</h1>
      <section
        aria-labelledby="verdict"
        className={`rounded-xl border-2 p-6 shadow-sm ${revoked ? 'border-red-300 bg-red-50' : 'border-green-300 bg-green-50'}`}
        data-testid="verification"
        data-status={revoked ? 'revoked' : 'valid'}
      >
        <h2 id="verdict" className={`text-2xl font-bold ${revoked ? 'text-red-900' : 'text-green-900'}`}>
          {revoked ? t('revokedOn', { date: formatDay(format, found.revokedAt!) }) : t('valid')}
        </h2>
        <p className={`mt-1 ${revoked ? 'text-red-900' : 'text-green-900'}`}>{revoked ? t('revokedLede', { org: branding.displayName }) : t('validLede', { org: branding.displayName })}</p>
        {revoked && found.revokedReason && (
          <p className="mt-3 text-red-900">
            <span className="font-semibold">{t('reason')}</span> {found.revokedReason}
          </p>
        )}
      </section>
      <section aria-labelledby="details" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="details" className="sr-only">
          {t('details')}
        </h2>
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[auto_1fr]">
          <dt className="text-sm font-medium text-slate-600">{t('recipient')}</dt>
          <dd className="text-lg font-semibold" data-testid="verify-recipient">
            {found.recipientName}
          </dd>
          <dt className="text-sm font-medium text-slate-600">{found.kind === 'program' ? t('program') : t('course')}</dt>
          <dd className="font-semibold" data-testid="verify-title">
            {found.title}
          </dd>
          <dt className="text-sm font-medium text-slate-600">{t('issued')}</dt>
          <dd>
            <time dateTime={found.issuedAt.toISOString()}>{formatDay(format, found.issuedAt)}</time>
          </dd>
          <dt className="text-sm font-medium text-slate-600">{t('organisation')}</dt>
          <dd>{branding.displayName}</dd>
          <dt className="text-sm font-medium text-slate-600">{t('code')}</dt>
          <dd className="font-mono">{found.code}</dd>
        </dl>
      </section>
      <Link href="/verify" className="inline-block rounded text-sm font-medium text-slate-700 underline-offset-2 hover:underline">
        {t('another')}
      </Link>
    </main>
  );
}
