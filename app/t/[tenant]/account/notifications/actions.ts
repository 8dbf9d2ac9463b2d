'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { NotificationError } from '@/lib/notifications/errors';
import { preferencesFromForm, savePreferences } from '@/lib/notifications/preferences';
import { isNotificationType } from '@/lib/notifications/types';

/** Save the member's email setting per notification type (fields `email:<type>`); the service validates them. */
export const savePreferencesAction = memberAction({ role: 'learner', input: z.record(z.string(), z.unknown()) }, async (tx, ctx, raw) => {
  const t = await getTranslations('notifications');
  const choices = preferencesFromForm(raw);
  try {
    const { changed } = await savePreferences(tx, ctx, choices);
    return { ok: true, message: t(changed.length ? 'preferences.saved' : 'preferences.unchanged') };
  } catch (e) {
    if (!(e instanceof NotificationError)) throw e;
    // Name the type by its label where it is one Lectern knows.
    const type = e.params.type && isNotificationType(e.params.type) ? t(`types.${e.params.type}`) : e.params.type;
    const message = t(`errors.${e.code}`, { ...e.params, type } as never);
    const values = Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return { ok: false, message, fieldErrors: e.field ? { [e.field]: message } : undefined, values };
  }
});
