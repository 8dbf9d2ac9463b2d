import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import type { JobContext } from '@/lib/jobs/registry';
import { loadMailBrand, type MailBrand } from '@/lib/mail/brand';
import { sendMails } from '@/lib/mail/service';
import { digestMail } from './mail';

const DigestTick = z.object({ slot: z.iso.datetime({ offset: true }) });

/** Members per round: their pending notices are read, mailed and marked in a handful of statements. */
const MEMBERS_PER_ROUND = 500;

type Pending = { id: string; user_id: string; title: string; body: string; link: string | null; email: string; name: string };

/** A uuid[] parameter as one bound text value (a list of thousands of ids stays one parameter). */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * The daily digest for ONE organisation (the cron job's handler; payload `{ slot: <ISO time> }`): every
 * member with notices whose mail mode is 'digest', not yet emailed and made up to the slot gets ONE mail
 * listing them, and those notices get emailed_at. Notices made after the slot wait for the next one.
 * Idempotent: a second run for the same slot finds nothing pending; two runs at once serialise on the
 * notices' row locks (FOR UPDATE), and the later one re-checks emailed_at and finds nothing. Returns how
 * many digests were written.
 */
export async function sendDailyDigest({ tenantId, tx, event, log }: JobContext): Promise<number> {
  const { slot } = DigestTick.parse(event.payload);
  let brand: MailBrand | undefined;
  let digests = 0;
  let notices = 0;
  for (;;) {
    const members = await tx.execute<{ user_id: string }>(sql`
      select distinct user_id from notifications
      where tenant_id = ${tenantId} and email_mode = 'digest' and emailed_at is null and created_at <= ${slot}::timestamptz
      order by user_id
      limit ${MEMBERS_PER_ROUND}`);
    if (!members.length) break;
    const pending = await pendingFor(tx, tenantId, slot, members.map((m) => m.user_id));
    if (!pending.length) continue; // another run mailed them meanwhile; the next round re-reads
    brand ??= await loadMailBrand(tx, tenantId);
    const byMember = new Map<string, Pending[]>();
    for (const row of pending) byMember.set(row.user_id, [...(byMember.get(row.user_id) ?? []), row]);
    const b = brand;
    await sendMails(
      tx,
      tenantId,
      [...byMember.values()].map((rows) => digestMail(b, { email: rows[0]!.email, name: rows[0]!.name }, rows)),
      b,
    );
    await tx.execute(sql`update notifications set emailed_at = now() where tenant_id = ${tenantId} and id = any(${uuidArray(pending.map((r) => r.id))})`);
    digests += byMember.size;
    notices += pending.length;
  }
  log.info({ slot, digests, notices }, 'daily digest');
  return digests;
}

/** The members' pending digest notices, oldest first, locked until the transaction ends. */
async function pendingFor(tx: Tx, tenantId: string, slot: string, userIds: string[]): Promise<Pending[]> {
  return [
    ...(await tx.execute<Pending>(sql`
      select n.id, n.user_id, n.title, n.body, n.link, u.email, u.name
      from notifications n join users u on u.id = n.user_id
      where n.tenant_id = ${tenantId} and n.user_id = any(${uuidArray(userIds)})
        and n.email_mode = 'digest' and n.emailed_at is null and n.created_at <= ${slot}::timestamptz
      order by n.user_id, n.created_at, n.id
      for update of n`)),
  ];
}
