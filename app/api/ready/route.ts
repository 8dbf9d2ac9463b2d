import { checkReadiness } from '@/lib/health';

/** Readiness: the database answers. */
export async function GET() {
  const result = await checkReadiness();
  return Response.json(result, { status: result.status === 'ready' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
