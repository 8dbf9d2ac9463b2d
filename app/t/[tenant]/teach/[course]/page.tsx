import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { CoursePriceForm } from '@/components/teach/course-price-form';
import { CourseSettingsForm } from '@/components/teach/course-settings-form';
import { CoverEditor } from '@/components/teach/cover-editor';
import { DuplicateCourse } from '@/components/teach/duplicate-course';
import { StatusControls } from '@/components/teach/status-controls';
import { toDateTimeLocal } from '@/components/teach/datetime';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { requestOrigin } from '@/lib/auth/origin';
import { withMember } from '@/lib/auth/with-member';
import { COURSE_CURRENCIES, courseSalesOpen } from '@/lib/billing/course-sales';
import { fileUrl } from '@/lib/files/urls';
import { duplicateCourseAction, saveSettingsAction, setCoverAction, setPriceAction, setStatusAction } from './actions';
import { loadTeachingCourse } from './load-course';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('teach.settings'))('metaTitle', { title: loaded.course.title }) };
}

// Languages offered for a course; names come from the reader's locale (Intl), so they need no catalogue entries.
const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'el', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'zh', 'ja', 'ko'];

export default async function CourseSettingsPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const { ctx, course, access } = await loadTeachingCourse(tenant, slug);
  // Teaching assistants may not change settings; their way into a course is its roster.
  if (!access.canAuthor) redirect(`/teach/${course.slug}/roster`);
  const sp = await searchParams;
  const [t, locale, h, salesOpen] = await Promise.all([getTranslations('teach.settings'), getLocale(), headers(), withMember(ctx, (tx) => courseSalesOpen(tx, ctx.tenant.id))]);
  const priced = course.priceCents !== null;
  const origin = requestOrigin(h);
  const names = new Intl.DisplayNames([locale], { type: 'language' });
  const codes = LANGUAGES.includes(course.language) ? LANGUAGES : [course.language, ...LANGUAGES];
  const languages = codes.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, locale));
  const coverUrl = course.coverKey ? fileUrl(ctx.tenant, course.coverKey, { filename: 'cover', disposition: 'inline' }) : null;
  const publicUrl = `${origin}/courses/${course.slug}`;
  const flash = sp.created ? t('flashCreated') : sp.copied ? t('flashCopied') : sp.saved ? t('flashSaved') : null;

  return (
    <main className="space-y-6">
      <h2 className="sr-only">{t('title')}</h2>
      {flash && <Alert tone="success">{flash}</Alert>}
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <CourseSettingsForm
          action={saveSettingsAction}
          courseId={course.id}
          origin={origin}
          languages={languages}
          initial={{
            title: course.title,
            slug: course.slug,
            summary: course.summary,
            descriptionHtml: course.descriptionHtml,
            category: course.category ?? '',
            tags: course.tags.join(', '),
            language: course.language,
            enrolmentMode: course.enrolmentMode,
            capacity: course.capacity === null ? '' : String(course.capacity),
            startsAt: toDateTimeLocal(course.startsAt),
            endsAt: toDateTimeLocal(course.endsAt),
          }}
        />
        <aside className="space-y-6" aria-label={t('asideLabel')}>
          <Card title={t('status.title')}>
            <StatusControls courseId={course.id} title={course.title} status={course.status} setStatus={setStatusAction} />
          </Card>
          <Card title={t('publicTitle')}>
            <a href={publicUrl} target="_blank" rel="noopener noreferrer" className="break-all text-sm font-medium text-brand underline underline-offset-2" data-testid="public-link">
              {publicUrl}
            </a>
            <p className="mt-2 text-xs text-slate-600">{course.status === 'published' ? t('publicLive') : t('publicHidden')}</p>
          </Card>
          <Card title={t('price.title')} description={salesOpen ? t('price.lede') : undefined}>
            {salesOpen || priced ? (
              <div className="space-y-3">
                {!salesOpen && <Alert tone="warning">{t('price.salesOffPriced')}</Alert>}
                <CoursePriceForm
                  action={setPriceAction}
                  courseId={course.id}
                  currencies={COURSE_CURRENCIES}
                  initial={{ price: priced ? (course.priceCents! / 100).toFixed(2) : '', currency: course.priceCurrency ?? 'usd' }}
                />
              </div>
            ) : (
              <p className="text-sm text-slate-600">{t('price.salesOff')}</p>
            )}
          </Card>
          <Card title={t('cover.title')}>
            <CoverEditor courseId={course.id} title={course.title} coverUrl={coverUrl} setCover={setCoverAction} />
          </Card>
          <Card title={t('duplicate.cardTitle')}>
            <p className="mb-3 text-sm text-slate-700">{t('duplicate.lede')}</p>
            <DuplicateCourse courseId={course.id} title={course.title} action={duplicateCourseAction} />
          </Card>
        </aside>
      </div>
    </main>
  );
}
