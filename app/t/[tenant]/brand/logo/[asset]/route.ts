import { getLogoAsset } from '@/lib/branding/service';
import { currentTenant } from '@/lib/auth/guard';

/** Logos are immutable per id (a new upload gets a new URL), so they may be cached forever. */
export async function GET(_req: Request, { params }: { params: Promise<{ asset: string }> }) {
  const tenant = await currentTenant();
  const asset = tenant ? await getLogoAsset(tenant.id, (await params).asset) : null;
  if (!asset) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const ext = asset.contentType.split('/')[1]!.replace('svg+xml', 'svg');
  return new Response(new Uint8Array(asset.data), {
    headers: {
      'content-type': asset.contentType,
      'content-length': String(asset.data.length),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${asset.sha256}"`,
      'content-disposition': `inline; filename="logo.${ext}"`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
