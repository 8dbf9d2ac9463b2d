import { memberRoute } from '@/lib/auth/route';
import { cellDetail } from '@/lib/gradebook/service';

type Ctx = { params: Promise<{ tenant: string; course: string }> };

/** One cell for the gradebook's editor: current values and history (course staff only; the service decides). */
export async function GET(req: Request, { params }: Ctx) {
  const { tenant } = await params;
  const url = new URL(req.url);
  return memberRoute(req, tenant, { write: false, what: 'gradebook cell' }, (tx, member) =>
    cellDetail(tx, member, { itemId: url.searchParams.get('item') ?? '', enrolmentId: url.searchParams.get('enrolment') ?? '' }),
  );
}
