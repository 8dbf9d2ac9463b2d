import { Inngest } from 'inngest';
import { env } from '@/lib/env';

let client: Inngest | undefined;

/** The Inngest client, built on first use from validated configuration (never at import: builds have no env). */
export function inngest(): Inngest {
  const e = env();
  client ??= new Inngest({
    id: 'lectern',
    isDev: e.INNGEST_DEV,
    eventKey: e.INNGEST_EVENT_KEY,
    signingKey: e.INNGEST_SIGNING_KEY,
    baseUrl: e.INNGEST_BASE_URL,
  });
  return client;
}
