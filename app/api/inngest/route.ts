import type { NextRequest } from 'next/server';
import { serve } from 'inngest/next';
import { inngest } from '@/inngest/client';
import { inngestFunctions } from '@/inngest/functions';
import { inngestConfigured } from '@/lib/env';

type Handlers = ReturnType<typeof serve>;
let handlers: Handlers | undefined;

/** Built on first request: the client needs validated configuration, which a build does not have. */
function inngestHandlers(): Handlers {
  handlers ??= serve({ client: inngest(), functions: inngestFunctions(inngest()) });
  return handlers;
}

function notConfigured(): Response {
  return Response.json(
    {
      type: 'https://lectern.app/problems/inngest-not-configured',
      title: 'Inngest is not configured',
      status: 503,
      detail:
        'Background jobs run in the embedded worker on this instance. Set INNGEST_DEV=1 (with an Inngest dev server) or INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY to serve Inngest functions here.',
    },
    { status: 503, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
  );
}

export async function GET(req: NextRequest): Promise<Response> {
  return inngestConfigured() ? inngestHandlers().GET(req, undefined) : notConfigured();
}

export async function POST(req: NextRequest): Promise<Response> {
  return inngestConfigured() ? inngestHandlers().POST(req, undefined) : notConfigured();
}

export async function PUT(req: NextRequest): Promise<Response> {
  return inngestConfigured() ? inngestHandlers().PUT(req, undefined) : notConfigured();
}
