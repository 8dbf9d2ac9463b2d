import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CourseStatusBadge } from '@/components/teach/course-status-badge';
import { buttonClass } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listTeachingCourses } from '@/lib/courses/service';
import { hasRole } from '@/lib/members/roles';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('teach.list'))('title') };
}

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | undefined>> };

/** The courses this member teaches (org admins: every course), newest change first. */
export default async function TeachPage({ params, searchParams }: Props) {
  const ctx = await requireMember((await params).tenant);
  const sp = await searchParams;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(sp.page ?? '1', 10) || 1));
  const list = await withMember(ctx, (tx) => listTeachingCourses(tx, ctx, { page }));
  const canCreate = hasRole(ctx.role, 'instructor');
  // Learners who assist in a course (TA) see it here; a learner who teaches nothing has no business here.
  if (!canCreate && list.total === 0) forbidden();
  const [t, format] = await Promise.all([getTranslations('teach.list'), getFormatter()]);
  const admin = hasRole(ctx.role, 'admin');

  return (
    <main className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="mt-1 text-slate-600">{admin ? t('ledeAll', { org: ctx.tenant.name }) : t('ledeMine')}</p>
        </div>
        {canCreate && (
          <Link href="/teach/new" className={buttonClass('primary')}>
            <span aria-hidden>+</span> {t('newCourse')}
          </Link>
        )}
      </div>

      {list.total === 0 ? (
        <section className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
          <div aria-hidden className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-500">
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6">
              <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15Z" strokeLinejoin="round" />
              <path d="M4 20.5A2.5 2.5 0 0 1 6.5 18H20v3H6.5A2.5 2.5 0 0 1 4 20.5ZM8 7.5h8M8 11h5" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </div>
          <h2 className="text-lg font-semibold">{t('emptyTitle')}</h2>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">{t('emptyBody')}</p>
          <Link href="/teach/new" className={buttonClass('primary', 'mt-6')}>
            {t('emptyAction')}
          </Link>
        </section>
      ) : (
        <section className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('title')}</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2.5">
                    {t('colCourse')}
                  </th>
                  <th scope="col" className="px-4 py-2.5">
                    {t('colStatus')}
                  </th>
                  <th scope="col" className="px-4 py-2.5">
                    {t('colLearners')}
                  </th>
                  <th scope="col" className="px-4 py-2.5">
                    {t('colUpdated')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.rows.map((c) => (
                  <tr key={c.id} data-testid="teaching-course" className="hover:bg-slate-50">
                    <td className="px-4 py-3">
                      <Link href={`/teach/${c.slug}`} className="font-medium text-slate-900 hover:underline">
                        {c.title}
                      </Link>
                      <div className="text-xs text-slate-500">/courses/{c.slug}</div>
                    </td>
                    <td className="px-4 py-3">
                      <CourseStatusBadge status={c.status} />
                    </td>
                    <td className="px-4 py-3 tabular-nums text-slate-700">
                      {c.capacity === null ? t('learnersUnlimited', { taken: c.seatsTaken }) : t('learnersOf', { taken: c.seatsTaken, capacity: c.capacity })}
                    </td>
                    <td className="px-4 py-3 text-slate-600">
                      <time dateTime={c.updatedAt.toISOString()}>{format.dateTime(c.updatedAt, { dateStyle: 'medium' })}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="border-t border-slate-100 px-4 pb-3">
            <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />
          </div>
        </section>
      )}
    </main>
  );
}
