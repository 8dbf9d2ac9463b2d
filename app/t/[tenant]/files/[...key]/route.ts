import { getTranslations } from 'next-intl/server';
import { serveSignedFile } from '@/lib/files/serve';
import { findTenantBySlug } from '@/lib/tenancy/tenants';

type Params = { params: Promise<{ tenant: string; key: string[] }> };

/** Signed, expiring file URLs (`/files/t/<tenant>/…?exp&d&name&sig`): public, the signature is the permission. */
export async function GET(req: Request, { params }: Params) {
  const { tenant: slug, key } = await params;
  const tenant = await findTenantBySlug(slug);
  if (!tenant) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const t = await getTranslations('errors');
  return serveSignedFile(req, tenant, key.join('/'), { expired: t('fileLinkExpired'), invalid: t('fileLinkInvalid') });
}

export const HEAD = GET;
