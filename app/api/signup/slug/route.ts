import { translateMessage } from '@/lib/i18n/translate';
import { checkSlugAvailability } from '@/lib/tenancy/tenants';

/** Live availability check for the sign-up form, its reason in the reader's language. */
export async function GET(req: Request) {
  const slug = new URL(req.url).searchParams.get('slug') ?? '';
  const result = await checkSlugAvailability(slug.slice(0, 100));
  const body = result.available ? result : { ...result, reason: await translateMessage(result.reason) };
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
}
