import { z } from 'zod';
import { memberRoute } from '@/lib/auth/route';
import { NotificationError } from '@/lib/notifications/errors';
import { markAllNoticesRead, markNoticeRead, unreadCount } from '@/lib/notifications/inbox';
import { notificationErrorResponse } from '@/lib/notifications/respond';

type Params = { params: Promise<{ tenant: string }> };

const ReadInput = z.union([z.object({ id: z.string().max(100) }), z.object({ all: z.literal(true) })]);

/** Mark one of the member's notices read (`{ id }`) or all of them (`{ all: true }`); answers the new unread count. */
export async function POST(req: Request, { params }: Params) {
  const { tenant } = await params;
  return memberRoute(req, tenant, { write: true, what: 'mark notifications read', bodyLimit: 1024 }, async (tx, member, body) => {
    try {
      const input = ReadInput.safeParse(JSON.parse(body || 'null'));
      if (!input.success) throw new NotificationError('badRequest', {}, 400);
      if ('all' in input.data) await markAllNoticesRead(tx, member);
      else await markNoticeRead(tx, member, input.data.id);
      return { unread: await unreadCount(tx, member) };
    } catch (e) {
      if (e instanceof SyntaxError) return notificationErrorResponse(new NotificationError('badRequest', {}, 400));
      return notificationErrorResponse(e);
    }
  });
}
