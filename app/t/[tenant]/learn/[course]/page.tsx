import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PreviewBanner } from '@/components/learn/banners';
import { Icon } from '@/components/learn/icons';
import { buttonClass } from '@/components/ui/button';
import { requireMember } from '@/lib/auth/guard';
import { playerViewFor } from '../load';

type Props = { params: Promise<{ tenant: string; course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const view = await playerViewFor(await requireMember(tenant), course, null);
  return { title: view.course.title };
}

/** Opening a course resumes it: the last item opened, else the next requirement, else the first item. */
export default async function CourseResumePage({ params }: Props) {
  const { tenant, course } = await params;
  const view = await playerViewFor(await requireMember(tenant), course, null);
  if (view.resumeHref) redirect(view.resumeHref);
  const [t, tg, ta] = await Promise.all([getTranslations('player'), getTranslations('myGrades'), getTranslations('announcements')]);
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      {view.preview && <PreviewBanner courseSlug={view.course.slug} />}
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
        <span className="mx-auto flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600">
          <Icon name="cap" className="size-6" />
        </span>
        <h1 className="mt-4 text-2xl font-bold">{view.course.title}</h1>
        <p className="mt-2 font-medium text-slate-800">{t('emptyCourse')}</p>
        <p className="mt-1 text-slate-600">{t('emptyCourseHint')}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <Link href={`/courses/${view.course.slug}`} className={buttonClass('secondary')}>
            {t('coursePage')}
          </Link>
          {!view.preview && (
            <Link href={`/learn/${view.course.slug}/grades`} className={buttonClass('secondary')}>
              {tg('link')}
            </Link>
          )}
          <Link href={`/learn/${view.course.slug}/announcements`} className={buttonClass('secondary')}>
            {ta('link')}
          </Link>
        </div>
      </div>
    </main>
  );
}
