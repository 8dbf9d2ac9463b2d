import { queryCounts } from '@/lib/debug/queries';

/**
 * GET /api/debug/queries: the running count of SQL statements this server has sent, read by
 * `npm run bench:pages` before and after one request to a page. 404 unless the server was started with
 * LECTERN_QUERY_COUNTER=1 (off by default; never enable it in production).
 */
export function GET() {
  const counts = queryCounts();
  if (!counts) return new Response('Not Found', { status: 404 });
  return Response.json(counts, { headers: { 'cache-control': 'no-store' } });
}
