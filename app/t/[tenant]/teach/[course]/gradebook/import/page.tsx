import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { GradeImport } from '@/components/teach/gradebook/grade-import';
import { Card } from '@/components/ui/card';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from '@/lib/gradebook/csv';
import { loadTeachingCourse } from '../../load-course';

type Props = { params: Promise<{ tenant: string; course: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('gradebook.import'))('metaTitle', { course: loaded.course.title }) };
}

/** Upload manual grades as CSV: preview the changes, then confirm. Course staff (the layout refuses others). */
export default async function GradeImportPage({ params }: Props) {
  const { tenant, course: slug } = await params;
  const { course } = await loadTeachingCourse(tenant, slug);
  const t = await getTranslations('gradebook.import');
  const base = `/teach/${course.slug}/gradebook`;
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{t('title')}</h2>
          <p className="max-w-3xl text-sm text-slate-600">{t('lede', { rows: IMPORT_MAX_ROWS })}</p>
        </div>
        <Link href={base} className="text-sm font-medium text-slate-700 underline underline-offset-2 hover:no-underline">
          {t('backToGradebook')}
        </Link>
      </div>
      <Card>
        <div className="space-y-4">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>{t('ruleShape')}</li>
            <li>{t('ruleValues')}</li>
            <li>{t('ruleKinds')}</li>
          </ul>
          <p className="text-sm">
            <a href={`${base}/export`} download className="font-medium text-slate-900 underline underline-offset-2 hover:no-underline">
              {t('exportFirst')}
            </a>
          </p>
          <GradeImport courseSlug={course.slug} maxBytes={IMPORT_MAX_BYTES} />
        </div>
      </Card>
    </main>
  );
}
