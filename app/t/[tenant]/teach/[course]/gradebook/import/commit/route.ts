import { memberRoute } from '@/lib/auth/route';
import { findCourseBySlug } from '@/lib/courses/service';
import { commitGradeImport } from '@/lib/gradebook/import';
import { readImportBody } from '../read-body';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** Write a checked file's changes, all in this one transaction; refused if they differ from the preview's. */
export async function POST(req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  return memberRoute(req, tenant, { write: true, what: 'grade import' }, async (tx, member) => {
    const { text, fingerprint } = await readImportBody(req);
    return commitGradeImport(tx, member, (await findCourseBySlug(tx, slug)).id, text, fingerprint);
  });
}
