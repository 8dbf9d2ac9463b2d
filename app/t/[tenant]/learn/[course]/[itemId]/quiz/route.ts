import { z } from 'zod';
import { learnerAttemptView, startAttempt } from '@/lib/assessment/attempts';
import { NotFoundError } from '@/lib/errors';
import { memberRoute } from '@/lib/auth/route';
import { forBrowser } from './respond';

type Params = { params: Promise<{ tenant: string; course: string; itemId: string }> };

/** Start an attempt at this quiz (or resume the open one): answers the learner's view of it. */
export async function POST(req: Request, { params }: Params) {
  const { tenant, itemId } = await params;
  return memberRoute(req, tenant, { write: true, what: 'quiz request' }, async (tx, member) => {
    if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
    const attempt = await startAttempt(tx, member, itemId);
    return forBrowser(await learnerAttemptView(tx, member, attempt.id));
  });
}
