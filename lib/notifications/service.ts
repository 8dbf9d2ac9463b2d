import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { loadMailBrand, type MailBrand } from '@/lib/mail/brand';
import { sendMails } from '@/lib/mail/service';
import { safeNoticePath } from './links';
import { noticeMail } from './mail';
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

type Inserted = { id: string; email_mode: string; title: string; body: string; link: string | null; email: string; name: string };

/**
 * Record notices in the caller's transaction (a job's, so they commit with its run record), each with the
 * recipient's mail preference for its type at this moment. Notices whose preference is 'immediately' get
 * their mail written (sendMails) in the same transaction and are marked emailed; 'digest' ones wait for the
 * daily digest; 'off' ones stay in-app only. Idempotent: a notice whose (user, dedupe key) exists is
 * skipped, and so is its mail. Recipients who are no longer members, or are deactivated, are skipped. Set-based: per 1,000
 * notices one INSERT … RETURNING (joined to the recipients' addresses), one INSERT of mails and, with
 * SMTP, one of outbox events; plus one branding read per call. Returns how many notices were new.
 */
export async function notify(tx: Tx, tenantId: string, items: readonly NewNotification[]): Promise<number> {
  let created = 0;
  let brand: MailBrand | undefined;
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    const rows = JSON.stringify(
      chunk.map((n) => ({ user_id: n.userId, type: n.type, title: n.title, body: n.body ?? '', link: safeNoticePath(n.link), dedupe_key: n.dedupeKey, default_email: NOTIFICATION_TYPES[n.type].defaultEmail })),
    );
    const inserted = await tx.execute<Inserted>(sql`
      with ins as (
        insert into notifications (tenant_id, user_id, type, title, body, link, dedupe_key, email_mode, emailed_at)
        select ${tenantId}::uuid, r.user_id, r.type, r.title, r.body, r.link, r.dedupe_key, m.mode, case when m.mode = 'immediately' then now() end
        from jsonb_to_recordset(${rows}::jsonb) as r(user_id uuid, type text, title text, body text, link text, dedupe_key text, default_email text)
        join memberships ms on ms.tenant_id = ${tenantId}::uuid and ms.user_id = r.user_id and ms.deactivated_at is null
        left join notification_preferences p on p.tenant_id = ${tenantId}::uuid and p.user_id = r.user_id and p.type = r.type
        cross join lateral (select coalesce(p.email_mode, r.default_email) as mode) m
        on conflict (tenant_id, user_id, dedupe_key) do nothing
        returning id, user_id, email_mode, title, body, link
      )
      select ins.id, ins.email_mode, ins.title, ins.body, ins.link, u.email, u.name
      from ins join users u on u.id = ins.user_id`);
    created += inserted.length;
    const immediate = inserted.filter((n) => n.email_mode === 'immediately');
    if (immediate.length) {
      brand ??= await loadMailBrand(tx, tenantId);
      const b = brand;
      await sendMails(
        tx,
        tenantId,
        immediate.map((n) => noticeMail(b, { email: n.email, name: n.name }, n)),
        b,
      );
    }
  }
  return created;
}
