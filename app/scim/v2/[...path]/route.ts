import { handleScimRequest } from '@/lib/scim/http';

/**
 * SCIM 2.0 provisioning (RFC 7644) on any host: proxy.ts passes /scim/* through un-rewritten, and the
 * organisation comes from the bearer token. Everything else lives in lib/scim.
 */
type Params = { params: Promise<{ path: string[] }> };

async function handle(req: Request, { params }: Params): Promise<Response> {
  return handleScimRequest(req, (await params).path);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
