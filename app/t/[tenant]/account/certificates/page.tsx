import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { MyCertificates } from '@/components/certificates/my-certificates';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listMyCertificates } from '@/lib/certificates/service';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('certificates.mine'))('title') };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> };

/** The member's own certificates, with their PDFs and verification pages. */
export default async function MyCertificatesPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant);
  const [t, list] = await Promise.all([getTranslations('certificates.mine'), withMember(ctx, async (tx) => listMyCertificates(tx, ctx, { page: (await searchParams).page }))]);
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-6 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-2 text-slate-600">{t('lede')}</p>
        </div>
        <Link href="/programs" className="rounded text-sm font-medium text-slate-700 underline-offset-2 hover:underline">
          {t('programsLink')}
        </Link>
      </div>
      <MyCertificates rows={list.rows} />
      {list.total > list.pageSize && <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />}
    </main>
  );
}
