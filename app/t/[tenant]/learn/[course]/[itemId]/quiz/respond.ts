import { getTranslations } from 'next-intl/server';
import { getMember } from '@/lib/auth/guard';
import type { MemberContext } from '@/lib/auth/context';
import { isSameOriginRequest } from '@/lib/auth/origin';
import { withMember } from '@/lib/auth/with-member';
import type { LearnerAttemptView } from '@/lib/assessment/attempts';
import { sanitizeRichText } from '@/lib/courses/sanitize';
import { DomainError } from '@/lib/errors';
import { requestLogger } from '@/lib/log';

type Tx = Parameters<Parameters<typeof withMember>[1]>[0];

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The quiz endpoints' common frame (as the watch route): same-origin check for writes, the member, the
 * service in a tenant transaction, DomainErrors as `{ error, code }` with their status.
 */
export async function handle(req: Request, slug: string, write: boolean, run: (tx: Tx, member: MemberContext) => Promise<unknown>): Promise<Response> {
  const t = await getTranslations('errors');
  if (write && !isSameOriginRequest(req.headers)) return json({ error: t('forbidden') }, 403);
  const member = await getMember(slug);
  if (!member) return json({ error: (await getTranslations('actions'))('sessionEnded'), code: 'sessionEnded' }, 401);
  try {
    return json(await withMember(member, (tx) => run(tx, member)));
  } catch (e) {
    if (e instanceof DomainError) return json({ error: t(e.code, e.params as never), code: e.code }, e.status);
    (await requestLogger()).error({ err: e }, 'quiz request failed');
    return json({ error: (await getTranslations('actions'))('unexpected') }, 500);
  }
}

/** The service's view as sent to the browser: essay keys carry grader notes, which learners never see. */
export async function forBrowser(raw: LearnerAttemptView): Promise<LearnerAttemptView> {
  // Prompts are rendered as HTML: only ever the sanitiser's output.
  const view = { ...raw, questions: await Promise.all(raw.questions.map(async (q) => ({ ...q, promptHtml: await sanitizeRichText(q.promptHtml) }))) };
  if (!view.results) return view;
  const types = new Map(view.questions.map((q) => [q.id, q.type]));
  return {
    ...view,
    results: {
      ...view.results,
      questions: view.results.questions.map((r) => {
        if (types.get(r.id) !== 'essay' || !('key' in r)) return r;
        const { key: _key, ...rest } = r;
        return rest;
      }),
    },
  };
}
