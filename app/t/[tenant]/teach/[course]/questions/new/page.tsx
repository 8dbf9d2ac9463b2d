import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { QUESTION_TYPES, isQuestionTypeName } from '@/components/teach/questions/definition';
import { QuestionForm } from '@/components/teach/questions/question-form';
import { TypeBadge } from '@/components/teach/questions/type-badge';
import { loadAuthoredCourse, loadTeachingCourse } from '../../load-course';
import { saveQuestionAction } from '../actions';

type Props = { params: Promise<{ tenant: string; course: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenant, course } = await params;
  const loaded = await loadTeachingCourse(tenant, course);
  return { title: (await getTranslations('questions'))('newMetaTitle', { title: loaded.course.title }) };
}

/** A new question: first its type, then the form for that type. */
export default async function NewQuestionPage({ params, searchParams }: Props) {
  const { tenant, course: slug } = await params;
  const { type } = await searchParams;
  const { course } = await loadAuthoredCourse(tenant, slug);
  const t = await getTranslations('questions');
  const base = `/teach/${course.slug}/questions`;

  if (typeof type === 'string' && isQuestionTypeName(type)) {
    return (
      <main>
        <QuestionForm key={type} courseId={course.id} courseSlug={course.slug} type={type} action={saveQuestionAction} />
      </main>
    );
  }

  return (
    <main className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold text-slate-900">{t('chooseType')}</h2>
        <p className="mt-1 text-sm text-slate-600">{t('chooseTypeLede')}</p>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {QUESTION_TYPES.map((qt) => (
          <li key={qt}>
            <Link href={`${base}/new?type=${qt}`} className="flex h-full flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 hover:border-brand hover:shadow-sm focus-visible:outline-2 focus-visible:outline-brand" data-testid={`type-${qt}`}>
              <span className="self-start">
                <TypeBadge type={qt} />
              </span>
              <span className="text-sm text-slate-700">{t(`typeHelp.${qt}`)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <Link href={base} className="inline-block text-sm text-slate-700 underline">
        {t('backToBank')}
      </Link>
    </main>
  );
}
