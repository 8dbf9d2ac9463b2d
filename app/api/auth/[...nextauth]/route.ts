import { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth';
import { requestOrigin } from '@/lib/auth/origin';

/**
 * Under `next start`, req.url is always http://localhost:3000/...; Auth.js builds its redirects from
 * it, so rebuild the URL from the Host header to keep the user on their organisation's subdomain.
 */
function onRequestHost(handler: (req: NextRequest) => Promise<Response>) {
  return (req: NextRequest) => {
    const url = new URL(req.nextUrl.pathname + req.nextUrl.search, requestOrigin(req.headers));
    return handler(new NextRequest(url, req));
  };
}

export const GET = onRequestHost(handlers.GET);
export const POST = onRequestHost(handlers.POST);
