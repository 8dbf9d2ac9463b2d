import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { CourseProgress } from '@/lib/learning/progress';
import { percent } from '@/lib/learning/progress';
import { Icon } from './icons';
import { ProgressBar } from './progress-bar';

/** The course title and the learner's progress: "3 of 7 required items · 43 %". */
export async function PlayerProgress({ course, progress, preview }: { course: { slug: string; title: string }; progress: CourseProgress; preview: boolean }) {
  const [t, tg, ta] = await Promise.all([getTranslations('player'), getTranslations('myGrades'), getTranslations('announcements')]);
  const pct = percent(progress);
  return (
    <div>
      <Link href={`/courses/${course.slug}`} className="inline-flex items-center gap-1 rounded text-xs font-medium text-slate-600 hover:text-slate-900">
        <Icon name="arrowLeft" className="size-3.5" />
        {t('coursePage')}
      </Link>
      <p className="mt-1 font-semibold leading-snug text-slate-900">{course.title}</p>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
        {!preview && (
          <Link href={`/learn/${course.slug}/grades`} className="inline-flex items-center gap-1 rounded text-xs font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900">
            {tg('link')}
          </Link>
        )}
        <Link href={`/learn/${course.slug}/announcements`} className="inline-flex items-center gap-1 rounded text-xs font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900">
          {ta('link')}
        </Link>
      </p>
      {preview ? (
        <p className="mt-2 text-xs text-slate-600">{t('previewShort')}</p>
      ) : progress.requirement_count === 0 ? (
        <p className="mt-2 text-xs text-slate-600">{t('noRequired')}</p>
      ) : (
        <div className="mt-3 space-y-1.5">
          <ProgressBar value={pct} label={t('progressLabel')} />
          <p className="flex justify-between gap-2 text-xs text-slate-600">
            <span>{t('progress', { done: progress.requirement_completed_count, total: progress.requirement_count })}</span>
            <span className="font-semibold text-slate-800">{t('percent', { percent: pct })}</span>
          </p>
        </div>
      )}
    </div>
  );
}
