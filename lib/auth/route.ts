import { getTranslations } from 'next-intl/server';
import { withTenant, type Tx } from '@/db/client';
import { DomainError } from '@/lib/errors';
import { requestLogger } from '@/lib/log';
import type { MemberContext } from './context';
import { getMember } from './guard';
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
 * The one frame for tenant route handlers used by the browser (the player's watch reports, quiz attempts):
 * writes must come from this host's own pages, the member is resolved from the session, and `run` gets a
 * tenant transaction; its result is the JSON answer and its DomainErrors become `{ error, code }` with their
 * status. Server actions have memberAction; the integrator API will have its own key-based frame.
 */
export async function memberRoute(req: Request, slug: string, opts: { write: boolean; what: string }, run: (tx: Tx, member: MemberContext) => Promise<unknown>): Promise<Response> {
  if (opts.write && !isSameOriginRequest(req.headers)) return jsonResponse({ error: (await getTranslations('errors'))('forbidden'), code: 'forbidden' }, 403);
  const member = await getMember(slug);
  if (!member) return jsonResponse({ error: (await getTranslations('actions'))('sessionEnded'), code: 'sessionEnded' }, 401);
  try {
    return jsonResponse(await withTenant(member.tenant.id, (tx) => run(tx, member)));
  } catch (e) {
    return errorResponse(e, opts.what);
  }
}
