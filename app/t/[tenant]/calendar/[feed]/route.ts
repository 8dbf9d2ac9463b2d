import { withTenantOf } from '@/lib/auth/with-member';
import { calendarFeedIcs } from '@/lib/calendar/feeds';
import { findTenantByHost } from '@/lib/tenancy/tenants';

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * A member's private calendar feed, /calendar/<token>.ics on the organisation's subdomain. No session (calendar
 * apps have none): the secret token is the credential, looked up by its SHA-256 within the organisation
 * of the Host only. Unknown, revoked, malformed or another organisation's token → 404, all alike.
 */
export async function GET(req: Request, { params }: { params: Promise<{ feed: string }> }) {
  const { feed } = await params;
  if (!feed.endsWith('.ics')) return notFound();
  const tenant = await findTenantByHost(req.headers.get('host'));
  if (!tenant) return notFound();
  const ics = await withTenantOf(tenant, (tx) => calendarFeedIcs(tx, tenant, feed.slice(0, -'.ics'.length)));
  if (ics === null) return notFound();
  return new Response(ics, {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'inline; filename="due-dates.ics"',
      // Personal: never kept by a shared cache; calendar apps re-fetch on their own schedule.
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
    },
  });
}
