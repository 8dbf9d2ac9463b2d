import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { NewCourseForm } from '@/components/teach/new-course-form';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/guard';
import { createCourseAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('teach.new'))('title') };
}

/** Creating a course takes an org instructor (or above); the service checks it again. */
export default async function NewCoursePage({ params }: { params: Promise<{ tenant: string }> }) {
  await requireMember((await params).tenant, { role: 'instructor' });
  const t = await getTranslations('teach.new');
  return (
    <main className="mx-auto max-w-xl space-y-6">
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link href="/teach" className="text-slate-600 hover:text-slate-900 hover:underline">
          ← {t('back')}
        </Link>
      </nav>
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="mt-1 text-slate-600">{t('lede')}</p>
      </div>
      <Card>
        <NewCourseForm action={createCourseAction} />
      </Card>
    </main>
  );
}
