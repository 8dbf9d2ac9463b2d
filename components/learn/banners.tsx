import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Icon } from './icons';

/** Staff looking at a course through the learner's eyes. */
export async function PreviewBanner({ courseSlug }: { courseSlug: string }) {
  const t = await getTranslations('player');
  return (
    <div role="status" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="flex items-center gap-2">
        <Icon name="eye" className="size-5" />
        <span>
          <strong className="font-semibold">{t('previewTitle')}</strong> {t('previewBody')}
        </span>
      </p>
      <Link href={`/teach/${courseSlug}`} className="rounded-md px-2 py-1 font-semibold underline underline-offset-2 hover:bg-amber-100">
        {t('previewManage')}
      </Link>
    </div>
  );
}

/** Every required item is done. */
export async function CourseCompleteBanner({ title }: { title: string }) {
  const t = await getTranslations('player');
  return (
    <div className="flex items-start gap-4 rounded-xl border border-green-300 bg-green-50 p-4 text-green-950 sm:items-center" data-testid="course-complete">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-green-600 text-white">
        <Icon name="badge" className="size-6" />
      </span>
      <div className="min-w-0 flex-1">
        <h2 className="font-semibold">{t('courseCompleteTitle')}</h2>
        <p className="text-sm">{t('courseCompleteBody', { title })}</p>
      </div>
      <Link href="/learn" className="hidden shrink-0 rounded-md px-3 py-2 text-sm font-semibold underline underline-offset-2 hover:bg-green-100 sm:block">
        {t('backToMyLearning')}
      </Link>
    </div>
  );
}
