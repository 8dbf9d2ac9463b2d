import { z } from 'zod';
import { memberRoute } from '@/lib/auth/route';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { recordVideoWatch, VideoWatchInput } from '@/lib/learning/player';

type Params = { params: Promise<{ tenant: string; course: string; itemId: string }> };

/**
 * The course player's watch reports for an uploaded video: JSON `{ duration, ranges: [[start, end], …] }`,
 * sent every few seconds with fetch and on leaving the page with navigator.sendBeacon (which cannot call
 * a server action). Answers `{ watched, completed }`, or `{ error }` with a 4xx.
 */
export async function POST(req: Request, { params }: Params) {
  const { tenant: slug, itemId } = await params;
  const body = VideoWatchInput.safeParse(await req.json().catch(() => null));
  return memberRoute(req, slug, { write: true, what: 'watch report' }, async (tx, member) => {
    if (!z.uuid().safeParse(itemId).success) throw new NotFoundError('itemNotFound');
    if (!body.success) throw new ValidationError('watchReportInvalid');
    return recordVideoWatch(tx, member, itemId, body.data);
  });
}
