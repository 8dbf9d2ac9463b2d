import { memberRoute } from '@/lib/auth/route';
import { importProgress } from '@/lib/imports/service';

type Ctx = { params: Promise<{ tenant: string; id: string }> };

/** An import's counters, polled by the progress bar every second while it runs. */
export async function GET(req: Request, { params }: Ctx) {
  const { tenant, id } = await params;
  return memberRoute(req, tenant, { write: false, what: 'import status' }, (tx, member) => importProgress(tx, member, id));
}
