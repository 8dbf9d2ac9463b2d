import { memberRoute } from '@/lib/auth/route';
import { findCourseBySlug } from '@/lib/courses/service';
import { exportGradebookCsv } from '@/lib/gradebook/export';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** The whole gradebook as a CSV download (`<slug>-grades.csv`), for the course's staff only. */
export async function GET(req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  return memberRoute(req, tenant, { write: false, what: 'gradebook export' }, async (tx, member) => {
    const out = await exportGradebookCsv(tx, member, (await findCourseBySlug(tx, slug)).id);
    return new Response(out.csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${out.filename.replace(/[^\w.-]/g, '_')}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  });
}
