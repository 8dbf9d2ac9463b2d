import type { EmailMode } from '@/db/schema/communication';

/**
 * Every kind of notification Lectern sends, with the mail preference a member has until they choose one.
 * The key is stored in notifications.type and notification_preferences.type: never rename a key in use.
 * Labels live in messages (notifications.types.<key>).
 */
export const NOTIFICATION_TYPES = {
  enrolled: { defaultEmail: 'immediately' },
  announcement: { defaultEmail: 'immediately' },
  'due-reminder': { defaultEmail: 'immediately' },
  'certificate-issued': { defaultEmail: 'immediately' },
} as const satisfies Record<string, { defaultEmail: EmailMode }>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export function isNotificationType(v: string): v is NotificationType {
  return Object.hasOwn(NOTIFICATION_TYPES, v);
}
