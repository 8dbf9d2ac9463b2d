import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { getMember } from '@/lib/auth/guard';
import { isSameOriginRequest } from '@/lib/auth/origin';
import { withMember } from '@/lib/auth/with-member';
import { DomainError } from '@/lib/errors';
import { recordVideoWatch, VideoWatchInput } from '@/lib/learning/player';
import { requestLogger } from '@/lib/log';

type Params = { params: Promise<{ tenant: string; course: string; itemId: string }> };

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The course player's watch reports for an uploaded video: JSON `{ duration, ranges: [[start, end], …] }`,
 * sent every few seconds with fetch and on leaving the page with navigator.sendBeacon (which cannot call
 * a server action). Answers `{ watched, completed }`, or `{ error }` with a 4xx.
 */
export async function POST(req: Request, { params }: Params) {
  const { tenant: slug, itemId } = await params;
  const t = await getTranslations('errors');
  // Organisations share a site (SameSite=Lax cookies across subdomains): only this host's pages may report.
  if (!isSameOriginRequest(req.headers)) return json({ error: t('forbidden') }, 403);
  const member = await getMember(slug);
  if (!member) return json({ error: (await getTranslations('actions'))('sessionEnded') }, 401);
  if (!z.uuid().safeParse(itemId).success) return json({ error: t('itemNotFound') }, 404);
  const body = VideoWatchInput.safeParse(await req.json().catch(() => null));
  if (!body.success) return json({ error: (await getTranslations('player'))('watchNotSaved') }, 422);
  try {
    return json(await withMember(member, (tx) => recordVideoWatch(tx, member, itemId, body.data)));
  } catch (e) {
    if (e instanceof DomainError) return json({ error: t(e.code, e.params as never) }, e.status);
    (await requestLogger()).error({ err: e }, 'watch report failed');
    return json({ error: (await getTranslations('actions'))('unexpected') }, 500);
  }
}
