import { memberRoute } from '@/lib/auth/route';
import { listNotices, unreadCount } from '@/lib/notifications/inbox';

type Params = { params: Promise<{ tenant: string }> };

const FEED_SIZE = 8;

/** The newest of the member's notices for the bell's panel, with the unread count. */
export async function GET(req: Request, { params }: Params) {
  const { tenant } = await params;
  return memberRoute(req, tenant, { write: false, what: 'notification feed' }, async (tx, member) => {
    const { items } = await listNotices(tx, member, { limit: FEED_SIZE });
    return { unread: await unreadCount(tx, member), items };
  });
}
