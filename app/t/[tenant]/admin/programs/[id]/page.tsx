import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ProgramCourses } from '@/components/programs/program-courses';
import { ProgramSettingsForm } from '@/components/programs/program-settings-form';
import { ProgramStatusBadge } from '@/components/programs/program-status-badge';
import { ProgramStatusControls } from '@/components/programs/program-status-controls';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { FeatureError } from '@/lib/certificates/errors';
import { programForAdmin } from '@/lib/programs/service';
import { addProgramCourseAction, moveProgramCourseAction, removeProgramCourseAction, setProgramStatusAction, updateProgramAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('programs.edit'))('metaTitle') };
}

type Props = { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<{ created?: string }> };

/** One program: its settings, its courses in order, and whether learners see it. */
export default async function AdminProgramPage({ params, searchParams }: Props) {
  const { tenant, id } = await params;
  const ctx = await requireMember(tenant, { role: 'admin' });
  const [t, sp] = await Promise.all([getTranslations('programs.edit'), searchParams]);
  const data = await withMember(ctx, (tx) => programForAdmin(tx, ctx, id)).catch((e: unknown) => {
    if (e instanceof FeatureError && e.status === 404) notFound();
    throw e;
  });
  const { program } = data;
  return (
    <main className="space-y-6">
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link href="/admin/programs" className="text-slate-600 hover:text-slate-900 hover:underline">
          ← {t('back')}
        </Link>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{program.title}</h1>
        <ProgramStatusBadge status={program.status} />
      </div>
      {sp.created && <Alert tone="success">{t('created')}</Alert>}
      <Card title={t('coursesTitle')} description={t('coursesLede')}>
        <ProgramCourses
          programId={program.id}
          courses={data.courses}
          available={data.available}
          actions={{ add: addProgramCourseAction, remove: removeProgramCourseAction, move: moveProgramCourseAction }}
        />
      </Card>
      <Card title={t('statusTitle')} description={t('certificatesIssued', { count: data.certificates })}>
        <ProgramStatusControls programId={program.id} title={program.title} status={program.status} action={setProgramStatusAction} />
      </Card>
      <Card title={t('settingsTitle')}>
        <ProgramSettingsForm action={updateProgramAction} programId={program.id} values={{ title: program.title, slug: program.slug, summary: program.summary }} />
      </Card>
    </main>
  );
}
