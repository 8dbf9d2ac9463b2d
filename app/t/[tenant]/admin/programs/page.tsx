import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { NewProgramForm } from '@/components/programs/new-program-form';
import { ProgramStatusBadge } from '@/components/programs/program-status-badge';
import { formatDay } from '@/components/learn/format';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listPrograms } from '@/lib/programs/service';
import { createProgramAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('programs.admin'))('title') };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ page?: string }> };

/** Org admins: the programs (ordered sets of courses with a program certificate), and a new one. */
export default async function AdminProgramsPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant, { role: 'admin' });
  const page = (await searchParams).page;
  const [t, format] = await Promise.all([getTranslations('programs.admin'), getFormatter()]);
  const list = await withMember(ctx, (tx) => listPrograms(tx, ctx, { page: page as never }));
  return (
    <main className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('lede')}</p>
      </div>
      <Card title={t('createTitle')} description={t('createLede')}>
        <NewProgramForm action={createProgramAction} />
      </Card>
      <Card title={t('listTitle', { total: list.total })}>
        {list.rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('title')}</caption>
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('colTitle')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colStatus')}</th>
                  <th scope="col" className="py-2 pr-4">{t('colCourses')}</th>
                  <th scope="col" className="py-2">{t('colUpdated')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.rows.map((p) => (
                  <tr key={p.id} data-testid="program-row">
                    <td className="py-2 pr-4">
                      <Link href={`/admin/programs/${p.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                        {p.title}
                      </Link>
                      <div className="text-slate-600">/programs/{p.slug}</div>
                    </td>
                    <td className="py-2 pr-4">
                      <ProgramStatusBadge status={p.status} />
                    </td>
                    <td className="py-2 pr-4">{p.courses}</td>
                    <td className="py-2 text-slate-600">
                      <time dateTime={p.updatedAt.toISOString()}>{formatDay(format, p.updatedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />
      </Card>
    </main>
  );
}
