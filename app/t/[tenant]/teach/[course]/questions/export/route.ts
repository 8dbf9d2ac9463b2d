import { getTranslations } from 'next-intl/server';
import { getMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { exportBank } from '@/lib/assessment/bank';
import { findCourseBySlug } from '@/lib/courses/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** The course's question bank as a JSON download (`<slug>-questions.json`), for its authors only. */
export async function GET(_req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  const member = await getMember(tenant);
  const t = await getTranslations('errors');
  if (!member) return new Response((await getTranslations('actions'))('sessionEnded'), { status: 401 });
  try {
    const { course, bank } = await withMember(member, async (tx) => {
      const course = await findCourseBySlug(tx, slug);
      return { course, bank: await exportBank(tx, member, course.id) };
    });
    return new Response(JSON.stringify(bank, null, 2) + '\n', {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${course.slug}-questions.json"`,
        'cache-control': 'no-store',
      },
    });
  } catch (e) {
    if (e instanceof NotFoundError) return new Response(t('courseNotFound'), { status: 404 });
    if (e instanceof ForbiddenError) return new Response(t('forbidden'), { status: 403 });
    throw e;
  }
}
