import { and, eq, sql } from 'drizzle-orm';
import { schema, type Tx } from '@/db/client';
import { EMAIL_MODES, type EmailMode } from '@/db/schema/communication';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { NotificationError } from './errors';
import { isNotificationType, NOTIFICATION_TYPES, type NotificationType } from './types';

/**
 * A member's mail preference per notification type: 'immediately', 'digest' (daily) or 'off'. Only mail
 * follows it; the in-app notice is always kept. No row = the type's default.
 */
export type PreferenceView = { type: NotificationType; mode: EmailMode; defaultMode: EmailMode };

const p = schema.notificationPreferences;

export async function listPreferences(tx: Tx, ctx: MemberContext): Promise<PreferenceView[]> {
  assertRole(ctx, 'learner');
  const rows = await tx
    .select({ type: p.type, mode: p.emailMode })
    .from(p)
    .where(and(eq(p.tenantId, ctx.tenant.id), eq(p.userId, ctx.user.id)));
  const chosen = new Map(rows.map((r) => [r.type, r.mode]));
  return (Object.keys(NOTIFICATION_TYPES) as NotificationType[]).map((type) => {
    const defaultMode = NOTIFICATION_TYPES[type].defaultEmail;
    return { type, mode: chosen.get(type) ?? defaultMode, defaultMode };
  });
}

function isEmailMode(v: unknown): v is EmailMode {
  return typeof v === 'string' && (EMAIL_MODES as readonly string[]).includes(v);
}

/** Form fields are named `email:<type>` (one radio group per type). */
export const PREFERENCE_FIELD = 'email:';

/** The `email:<type>` fields of a submitted form, as { type: mode }. */
export function preferencesFromForm(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k.startsWith(PREFERENCE_FIELD)) out[k.slice(PREFERENCE_FIELD.length)] = v;
  return out;
}

/**
 * Save the member's choices ({ type: mode }, any subset of the types). Every entry is checked before
 * anything is written: an unknown type or mode is refused whole with a NotificationError naming it.
 * Writes only what differs from what is in force; returns how many types changed.
 */
export async function savePreferences(tx: Tx, ctx: MemberContext, input: Record<string, unknown>): Promise<{ changed: NotificationType[] }> {
  assertRole(ctx, 'learner');
  const entries = Object.entries(input);
  if (!entries.length) throw new NotificationError('nothingToSave');
  const wanted: { type: NotificationType; mode: EmailMode }[] = [];
  for (const [type, mode] of entries) {
    if (!isNotificationType(type)) throw new NotificationError('unknownType', { type: type.slice(0, 60) }, 422, `${PREFERENCE_FIELD}${type}`);
    if (!isEmailMode(mode)) throw new NotificationError('unknownMode', { type }, 422, `${PREFERENCE_FIELD}${type}`);
    wanted.push({ type, mode });
  }
  const current = new Map((await listPreferences(tx, ctx)).map((v) => [v.type, v.mode]));
  const changes = wanted.filter((w) => current.get(w.type) !== w.mode);
  if (changes.length) {
    await tx
      .insert(p)
      .values(changes.map((c) => ({ tenantId: ctx.tenant.id, userId: ctx.user.id, type: c.type, emailMode: c.mode })))
      .onConflictDoUpdate({ target: [p.tenantId, p.userId, p.type], set: { emailMode: sql`excluded.email_mode`, updatedAt: sql`now()` } });
  }
  return { changed: changes.map((c) => c.type) };
}
