import { NextResponse, type NextRequest } from 'next/server';
import { logger, REQUEST_ID_HEADER } from '@/lib/log';
import { parseHost, PATH_HEADER, rootDomain } from '@/lib/tenancy/host';


const TENANT_SEGMENT = '/t';
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The request hook (Next.js 16 renamed `middleware.ts` to `proxy.ts`). It reads the Host, rewrites
 * organisation pages to the internal /t/<slug> segment, and tags every request with an id. No DB here.
 */
export function proxy(req: NextRequest) {
  const incoming = req.headers.get(REQUEST_ID_HEADER);
  const reqId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const { pathname, search } = req.nextUrl;
  const hostHeader = req.headers.get('host');
  const host = parseHost(hostHeader, rootDomain());

  const headers = new Headers(req.headers);
  headers.set(REQUEST_ID_HEADER, reqId);
  headers.set(PATH_HEADER, pathname + search);
  // Client-sent X-Forwarded-* would steer Auth.js redirects and origins; only a trusted proxy may set them.
  if (!['1', 'true'].includes(process.env.TRUST_PROXY ?? '')) {
    headers.delete('x-forwarded-proto');
    headers.delete('x-forwarded-port');
    if (hostHeader) headers.set('x-forwarded-host', hostHeader);
    else headers.delete('x-forwarded-host');
  }

  let res: NextResponse;
  // /scim/v2 is served on any host as is: its organisation comes from the bearer token, never from the Host.
  const isApi = pathname.startsWith('/api/') || pathname.startsWith('/scim/');
  if (isApi) {
    res = NextResponse.next({ request: { headers } });
  } else if (host.kind === 'tenant') {
    res = NextResponse.rewrite(new URL(`${TENANT_SEGMENT}/${host.slug}${pathname === '/' ? '' : pathname}${search}`, req.url), { request: { headers } });
  } else if (host.kind === 'root' || (host.kind === 'reserved' && host.label === 'www')) {
    // www.<root> is served as the root domain itself (a redirect would be made relative by Next and loop locally).
    // The internal segment is never reachable from the root domain.
    const blocked = pathname === TENANT_SEGMENT || pathname.startsWith(`${TENANT_SEGMENT}/`);
    res = blocked ? NextResponse.rewrite(new URL('/t/-', req.url), { request: { headers } }) : NextResponse.next({ request: { headers } });
  } else {
    // Unknown or reserved sub-domains get the friendly not-found page (the "-" slug never exists).
    res = NextResponse.rewrite(new URL('/t/-', req.url), { request: { headers } });
  }
  res.headers.set(REQUEST_ID_HEADER, reqId);
  logger.info({ reqId, method: req.method, host: hostHeader, path: pathname }, 'request');
  return res;
}

export const config = {
  // /api/uploads skips the proxy so large uploads are not buffered for it (the route resolves the Host itself).
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg|fonts/|api/uploads).*)'],
};
