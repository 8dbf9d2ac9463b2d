import { checkSlugAvailability } from '@/lib/tenancy/tenants';

/** Live availability check for the sign-up form. */
export async function GET(req: Request) {
  const slug = new URL(req.url).searchParams.get('slug') ?? '';
  return Response.json(await checkSlugAvailability(slug.slice(0, 100)), { headers: { 'cache-control': 'no-store' } });
}
