import { memberRoute } from '@/lib/auth/route';
import { unreadCount } from '@/lib/notifications/inbox';

type Params = { params: Promise<{ tenant: string }> };

/** The bell's badge: the member's unread count (capped), polled by the header. */
export async function GET(req: Request, { params }: Params) {
  const { tenant } = await params;
  return memberRoute(req, tenant, { write: false, what: 'notification count' }, async (tx, member) => ({ unread: await unreadCount(tx, member) }));
}
