import { getTranslations } from 'next-intl/server';
import { getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { findCourseBySlug } from '@/lib/courses/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { exportGradebookCsv } from '@/lib/gradebook/export';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** The whole gradebook as a CSV download (`<slug>-grades.csv`), for the course's staff only. */
export async function GET(_req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  const member = await getMember(tenant);
  const t = await getTranslations('errors');
  if (!member) return new Response((await getTranslations('actions'))('sessionEnded'), { status: 401 });
  try {
    const out = await withMember(member, async (tx) => exportGradebookCsv(tx, member, (await findCourseBySlug(tx, slug)).id));
    return new Response(out.csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${out.filename.replace(/[^\w.-]/g, '_')}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  } catch (e) {
    if (e instanceof NotFoundError) return new Response(t('courseNotFound'), { status: 404 });
    if (e instanceof ForbiddenError) return new Response(t('forbidden'), { status: 403 });
    throw e;
  }
}
