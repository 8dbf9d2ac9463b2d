import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { VerifyForm } from '@/components/certificates/verify-form';
import { requireTenant } from '@/lib/auth/guard';
import { getBranding } from '@/lib/branding/service';
import { normaliseCertificateCode } from '@/lib/certificates/code';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('verify'))('title'), robots: { index: false } };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ code?: string | string[] }> };

/** Public (no sign-in): type the code printed on a certificate; the form goes to /verify/<code>. */
export default async function VerifyIndexPage({ params, searchParams }: Props) {
  const tenant = await requireTenant((await params).tenant);
  const raw = (await searchParams).code;
  const typed = typeof raw === 'string' ? raw.trim().slice(0, 64) : '';
  if (typed) redirect(`/verify/${encodeURIComponent(normaliseCertificateCode(typed) ?? typed)}`);
  const [t, branding] = await Promise.all([getTranslations('verify'), getBranding(tenant)]);
  return (
    <main className="mx-auto max-w-xl space-y-6 px-6 py-12">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
        <p className="mt-2 text-slate-700">{t('lede', { org: branding.displayName })}</p>
      </div>
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <VerifyForm />
      </div>
    </main>
  );
}
