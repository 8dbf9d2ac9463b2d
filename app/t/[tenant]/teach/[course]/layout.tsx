import Link from 'next/link';
import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { CourseStatusBadge } from '@/components/teach/course-status-badge';
import { CourseTabs, type CourseTab } from '@/components/teach/course-tabs';
import { loadTeachingCourse } from './load-course';

type Props = { children: ReactNode; params: Promise<{ tenant: string; course: string }> };

/** Every page of one course in the instructor area: its title, status and tabs. */
export default async function TeachCourseLayout({ children, params }: Props) {
  const { tenant, course: slug } = await params;
  const { course, access } = await loadTeachingCourse(tenant, slug);
  const [t, tg, tb, ta] = await Promise.all([getTranslations('teach.course'), getTranslations('grading'), getTranslations('gradebook'), getTranslations('announcements')]);
  const base = `/teach/${course.slug}`;
  const tabs: CourseTab[] = [
    ...(access.canAuthor
      ? [
          { href: base, label: t('tabSettings'), exact: true },
          { href: `${base}/outline`, label: t('tabOutline') },
          { href: `${base}/questions`, label: t('tabQuestions') },
        ]
      : []),
    { href: `${base}/roster`, label: t('tabRoster') },
    { href: `${base}/grading`, label: tg('tab') },
    { href: `${base}/gradebook`, label: tb('tab') },
    { href: `${base}/announcements`, label: ta('tab') },
    { href: `/learn/${course.slug}`, label: t('tabPreview'), external: true },
  ];
  return (
    <div className="space-y-6">
      <section aria-labelledby="course-title" className="space-y-3 border-b border-slate-200">
        <nav aria-label={t('breadcrumb')} className="text-sm text-slate-600">
          <Link href="/teach" className="hover:text-slate-900 hover:underline">
            {t('myCourses')}
          </Link>
          <span aria-hidden className="px-1.5">
            /
          </span>
          <span aria-current="page">{course.title}</span>
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="course-title" className="text-2xl font-bold text-slate-900">{course.title}</h1>
          <CourseStatusBadge status={course.status} />
        </div>
        <CourseTabs tabs={tabs} label={t('tabsLabel')} />
      </section>
      {children}
    </div>
  );
}
