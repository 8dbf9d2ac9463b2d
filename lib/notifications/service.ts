import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { NOTIFICATION_TYPES, type NotificationType } from './types';

/** One notice for one member. `dedupeKey` names the cause (e.g. `announcement:<id>`): the same key twice is one notice. */
export type NewNotification = {
  userId: string;
  type: NotificationType;
  title: string;
  body?: string;
  /** A path on the organisation's site, e.g. `/learn/<course>`. */
  link?: string | null;
  dedupeKey: string;
};

/**
 * Record notices in the caller's transaction (a job's, so they commit with its run record), each with the
 * recipient's mail preference for its type at this moment. Idempotent: a notice whose (user, dedupe key)
 * exists is skipped. Set-based: one statement per 1,000 notices. Returns how many were new.
 */
export async function notify(tx: Tx, tenantId: string, items: readonly NewNotification[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    const rows = JSON.stringify(
      chunk.map((n) => ({ user_id: n.userId, type: n.type, title: n.title, body: n.body ?? '', link: n.link ?? null, dedupe_key: n.dedupeKey, default_email: NOTIFICATION_TYPES[n.type].defaultEmail })),
    );
    const inserted = await tx.execute<{ id: string }>(sql`
      insert into notifications (tenant_id, user_id, type, title, body, link, dedupe_key, email_mode)
      select ${tenantId}::uuid, r.user_id, r.type, r.title, r.body, r.link, r.dedupe_key, coalesce(p.email_mode, r.default_email)
      from jsonb_to_recordset(${rows}::jsonb) as r(user_id uuid, type text, title text, body text, link text, dedupe_key text, default_email text)
      left join notification_preferences p on p.tenant_id = ${tenantId}::uuid and p.user_id = r.user_id and p.type = r.type
      on conflict (tenant_id, user_id, dedupe_key) do nothing
      returning id`);
    created += inserted.length;
  }
  return created;
}
