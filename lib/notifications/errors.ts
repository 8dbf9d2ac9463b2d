import { createTranslator } from 'use-intl/core';
import en from '@/lib/i18n/messages/en.json';

export type NotificationErrorCode = keyof typeof en.notifications.errors;

const english = createTranslator({ locale: 'en', messages: en, namespace: 'notifications.errors' });

/**
 * What the notification services refuse, with a code from the `notifications.errors` messages (this area's
 * own catalogue); the routes and actions show it in the reader's language with the status.
 */
export class NotificationError extends Error {
  constructor(
    readonly code: NotificationErrorCode,
    readonly params: Record<string, string> = {},
    readonly status: 400 | 404 | 422 = 422,
    readonly field?: string,
  ) {
    super(english(code, params as never));
    this.name = 'NotificationError';
  }
}
