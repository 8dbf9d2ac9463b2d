import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AnnouncementForm } from '@/components/announcements/announcement-form';
import { AnnouncementList } from '@/components/announcements/announcement-list';
import { RefreshWhileSending } from '@/components/announcements/refresh-while-sending';
import { AnnouncerProvider, Announcements } from '@/components/teach/roster/announcer';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { courseAnnouncements } from '@/lib/announcements/service';
import { withMember } from '@/lib/auth/with-member';
import { PageParam } from '@/lib/schemas';
import { loadTeachingCourse } from '../load-course';
import { pageError } from '../roster/page-errors';
import { deleteAnnouncementAction, postAnnouncementAction } from './actions';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('announcements'))('metaTitle', { course: loaded.course.title }) };
}

/** Course staff post announcements to the learners and see them go out. */
export default async function TeachAnnouncementsPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const { ctx } = await loadTeachingCourse(tenant, slug);
  const page = PageParam.parse((await searchParams).page);
  const list = await withMember(ctx, (tx) => courseAnnouncements(tx, ctx, slug, { page })).catch(pageError);
  const t = await getTranslations('announcements');
  const sending = list.rows.some((r) => !r.fannedOutAt);
  return (
    <AnnouncerProvider>
      <main className="space-y-6">
        <h2 className="sr-only">{t('title')}</h2>
        <Card title={t('form.heading')} description={t('staffLede')}>
          <AnnouncementForm action={postAnnouncementAction} courseId={list.course.id} />
        </Card>
        <section aria-labelledby="posted-title" className="space-y-4">
          <h2 id="posted-title" className="text-lg font-semibold text-slate-900">
            {t('postedTitle', { count: list.total })}
          </h2>
          <Announcements dismissLabel={t('dismiss')} />
          <AnnouncementList rows={list.rows} headingLevel={3} deleteAction={deleteAnnouncementAction} emptyText={t('emptyStaff')} />
          {list.total > list.pageSize && <Pagination page={list.page} pageSize={list.pageSize} total={list.total} params={{}} />}
        </section>
        <RefreshWhileSending active={sending} />
      </main>
    </AnnouncerProvider>
  );
}
