import { count, desc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { schema } from '@/db/client';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { env } from '@/lib/env';
import { ForbiddenError } from '@/lib/errors';
import { emitMany } from '@/lib/events/outbox';
import { logger } from '@/lib/log';
import { loadMailBrand, type MailBrand } from './brand';
import { htmlFromText } from './templates';

/** A mail to write: plain text, and the branded HTML part (made from the text when not given). */
export type Mail = { to: string; subject: string; text: string; html?: string | null };

/** The event the send-email job runs on (payload `{ emailId }`). */
export const EMAIL_QUEUED = 'lectern/email.queued.v1';

const CHUNK = 1000;

/**
 * Write mail in the caller's transaction, so a rolled-back change sends nothing. Without SMTP_URL it is
 * kept in the dev mailbox ('captured'); with it, it is 'queued' and an outbox event hands it to the
 * send-email job once the transaction commits. Returns the email row's id (its Message-ID).
 */
export async function sendMail(tx: Tx, tenantId: string, mail: Mail): Promise<string> {
  const [id] = await sendMails(tx, tenantId, [mail]);
  return id!;
}

/**
 * Many mails in one go (notices to a whole course): one INSERT and, with SMTP, one outbox INSERT per
 * thousand. `brand` saves the branding query when the caller has it already.
 */
export async function sendMails(tx: Tx, tenantId: string, mails: readonly Mail[], brand?: MailBrand): Promise<string[]> {
  if (!mails.length) return [];
  const smtp = !!env().SMTP_URL;
  const b = brand ?? (mails.some((m) => !m.html) ? await loadMailBrand(tx, tenantId) : undefined);
  const ids: string[] = [];
  for (let i = 0; i < mails.length; i += CHUNK) {
    const rows = mails.slice(i, i + CHUNK).map((m) => ({
      tenantId,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html || htmlFromText(b!, m.subject, m.text),
      status: smtp ? ('queued' as const) : ('captured' as const),
    }));
    const inserted = await tx.insert(schema.emails).values(rows).returning({ id: schema.emails.id });
    const chunkIds = inserted.map((r) => r.id);
    if (smtp) await emitMany(tx, tenantId, EMAIL_QUEUED, chunkIds.map((emailId) => ({ emailId })));
    ids.push(...chunkIds);
  }
  // Never the body or the recipient's address in logs: bodies carry reset and invitation links.
  if (mails.length === 1) logger.info({ tenantId, emailId: ids[0], subject: mails[0]!.subject }, smtp ? 'mail queued for SMTP' : 'mail captured in dev mailbox');
  else logger.info({ tenantId, count: ids.length }, smtp ? 'mail queued for SMTP' : 'mail captured in dev mailbox');
  return ids;
}

export const MAILBOX_PAGE_SIZE = 20;

/** The dev mailbox exposes every captured message (reset links too) to admins: local use only. */
export function devMailboxEnabled(): boolean {
  return env().LECTERN_DEV_MAILBOX;
}

/** Whether mail leaves through SMTP (else it is kept in the dev mailbox). */
export function smtpConfigured(): boolean {
  return !!env().SMTP_URL;
}

export async function listMailbox(tx: Tx, ctx: MemberContext, input: { page: number }) {
  assertRole(ctx, 'admin');
  if (!devMailboxEnabled()) throw new ForbiddenError('mailboxDisabled');
  const page = Math.max(1, input.page);
  const [rows, [total]] = await Promise.all([
    tx
      .select()
      .from(schema.emails)
      .where(eq(schema.emails.tenantId, ctx.tenant.id))
      .orderBy(desc(schema.emails.createdAt), desc(schema.emails.id))
      .limit(MAILBOX_PAGE_SIZE)
      .offset((page - 1) * MAILBOX_PAGE_SIZE),
    tx.select({ n: count() }).from(schema.emails).where(eq(schema.emails.tenantId, ctx.tenant.id)),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize: MAILBOX_PAGE_SIZE };
}
