import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { MyPrograms } from '@/components/programs/my-programs';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { myPrograms } from '@/lib/programs/service';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('programs.learner'))('title') };
}

/** The published programs the member is part of (enrolled in any of their courses), with progress. */
export default async function MyProgramsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant);
  const [t, programs] = await Promise.all([getTranslations('programs.learner'), withMember(ctx, (tx) => myPrograms(tx, ctx))]);
  return (
    <main className="mx-auto max-w-5xl space-y-8 px-6 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-2 text-slate-600">{t('lede')}</p>
        </div>
        <Link href="/account/certificates" className="rounded text-sm font-medium text-slate-700 underline-offset-2 hover:underline">
          {t('certificatesLink')}
        </Link>
      </div>
      <MyPrograms programs={programs} />
    </main>
  );
}
