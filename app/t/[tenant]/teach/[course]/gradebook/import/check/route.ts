import { memberRoute } from '@/lib/auth/route';
import { findCourseBySlug } from '@/lib/courses/service';
import { checkGradeImport } from '@/lib/gradebook/import';
import { readImportBody } from '../read-body';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** Check a grades file (the CSV text is the body): the changes it would make and its problems. Writes nothing. */
export async function POST(req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  return memberRoute(req, tenant, { write: true, what: 'grade import check' }, async (tx, member) => {
    const { text } = await readImportBody(req);
    return checkGradeImport(tx, member, (await findCourseBySlug(tx, slug)).id, text);
  });
}
