import { memberRoute } from '@/lib/auth/route';
import { findCourseBySlug } from '@/lib/courses/service';
import { IMPORT_MAX_BYTES } from '@/lib/gradebook/csv';
import { commitGradeImport } from '@/lib/gradebook/import';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/**
 * Write a checked file's changes (the CSV text is the body, the preview's fingerprint in
 * `x-import-fingerprint`), all in this one transaction; refused if they differ from the preview's.
 */
export async function POST(req: Request, { params }: Ctx) {
  const { tenant, course: slug } = await params;
  const fingerprint = req.headers.get('x-import-fingerprint') ?? '';
  return memberRoute(req, tenant, { write: true, what: 'grade import', bodyLimit: IMPORT_MAX_BYTES }, async (tx, member, text) =>
    commitGradeImport(tx, member, (await findCourseBySlug(tx, slug)).id, text, fingerprint),
  );
}
