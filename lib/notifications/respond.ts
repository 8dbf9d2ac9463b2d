import { getTranslations } from 'next-intl/server';
import { jsonResponse } from '@/lib/auth/route';
import { NotificationError } from './errors';

/** A NotificationError as the JSON answer of a notifications route, in the reader's language; anything else is rethrown. */
export async function notificationErrorResponse(e: unknown): Promise<Response> {
  if (!(e instanceof NotificationError)) throw e;
  const t = await getTranslations('notifications.errors');
  return jsonResponse({ error: t(e.code, e.params as never), code: e.code }, e.status);
}
