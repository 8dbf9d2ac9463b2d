import { getTranslations } from 'next-intl/server';
import { withTenantBySlug, type Tx } from '@/db/client';
import { DomainError } from '@/lib/errors';
import { readBodyText } from '@/lib/http/body';
import { requestLogger } from '@/lib/log';
import type { MemberContext } from './context';
import { memberIn } from './guard';
import { auth } from './index';
import { isSameOriginRequest } from './origin';

/** JSON that no cache keeps (answers are per person). */
export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** A thrown error as the JSON answer: a DomainError says what happened with its status; anything else is logged. */
export async function errorResponse(e: unknown, what: string): Promise<Response> {
  if (e instanceof DomainError) return jsonResponse({ error: (await getTranslations('errors'))(e.code, e.params as never), code: e.code }, e.status);
  (await requestLogger()).error({ err: e }, `${what} failed`);
  return jsonResponse({ error: (await getTranslations('actions'))('unexpected') }, 500);
}

/**
 * The one frame for tenant route handlers used by the browser (the player's watch reports, quiz attempts,
 * gradebook import and export): writes must come from this host's own pages, the member is resolved from the
 * session, a body (with `bodyLimit`) is read in full — within the limit — before any transaction opens, and
 * `run` gets the tenant transaction in which the member was read (one transaction per request). Its result is the JSON answer (or, if it is a Response, that response);
 * DomainErrors become `{ error, code }` with their status. Server actions have memberAction; the integrator API
 * will have its own key-based frame.
 */
export async function memberRoute(
  req: Request,
  slug: string,
  opts: { write: boolean; what: string; bodyLimit?: number },
  run: (tx: Tx, member: MemberContext, body: string) => Promise<unknown>,
): Promise<Response> {
  if (opts.write && !isSameOriginRequest(req.headers)) return jsonResponse({ error: (await getTranslations('errors'))('forbidden'), code: 'forbidden' }, 403);
  const session = await auth();
  const userId = session?.user?.id;
  const sessionEnded = async () => jsonResponse({ error: (await getTranslations('actions'))('sessionEnded'), code: 'sessionEnded' }, 401);
  if (!userId || !session.tenantId) return sessionEnded();
  try {
    const body = opts.bodyLimit ? await readBodyText(req, opts.bodyLimit) : '';
    // One transaction for the organisation, the member and the work (getMember would take two more).
    const out = await withTenantBySlug(slug, session.tenantId, async (tx, tenant) => {
      const member = await memberIn(tx, tenant, userId, session.authAt);
      return member ? { result: await run(tx, member, body) } : null;
    });
    if (!out.found || !out.value) return sessionEnded();
    const { result } = out.value;
    return result instanceof Response ? result : jsonResponse(result);
  } catch (e) {
    return errorResponse(e, opts.what);
  }
}
