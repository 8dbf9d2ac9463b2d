import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { AnnouncementList } from '@/components/announcements/announcement-list';
import { Pagination } from '@/components/ui/pagination';
import { courseAnnouncements } from '@/lib/announcements/service';
import type { MemberContext } from '@/lib/auth/context';
import { requireMember } from '@/lib/auth/guard';
import { PageParam } from '@/lib/schemas';
import { learnerCourseRead } from '../../load';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Not enrolled → the course's landing page (to enrol); unknown course, or another organisation's → 404. */
async function load(ctx: MemberContext, slug: string, page: number) {
  return learnerCourseRead(ctx, slug, (tx) => courseAnnouncements(tx, ctx, slug, { page }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const list = await load(await requireMember(tenant), course, 1);
  return { title: (await getTranslations('announcements'))('metaTitle', { course: list.course.title }) };
}

/** A course's announcements for the people enrolled in it, newest first. */
export default async function LearnAnnouncementsPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const ctx = await requireMember(tenant);
  const list = await load(ctx, slug, PageParam.parse((await searchParams).page));
  const t = await getTranslations('announcements');
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-6 py-10">
      <div>
        <Link href={`/learn/${list.course.slug}`} className="text-sm font-medium text-slate-600 hover:text-slate-900">
          ← {list.course.title}
        </Link>
        <h1 className="mt-2 text-2xl font-bold text-slate-900">{t('title')}</h1>
        <p className="mt-1 text-sm text-slate-600">{t('learnerLede')}</p>
      </div>
      <AnnouncementList rows={list.rows} emptyText={t('empty')} />
      {list.total > list.pageSize && <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />}
    </main>
  );
}
