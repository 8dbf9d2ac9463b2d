import { memberRoute } from '@/lib/auth/route';
import { findCourseBySlug } from '@/lib/courses/service';
import { IMPORT_MAX_BYTES } from '@/lib/gradebook/csv';
import { checkGradeImport } from '@/lib/gradebook/import';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** Check a grades file (the CSV text is the body): the changes it would make and its problems. Writes nothing. */
export async function POST(req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  return memberRoute(req, tenant, { write: true, what: 'grade import check', bodyLimit: IMPORT_MAX_BYTES }, async (tx, member, text) =>
    checkGradeImport(tx, member, (await findCourseBySlug(tx, slug)).id, text),
  );
}
