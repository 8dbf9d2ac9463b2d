import { count, desc, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { schema } from '@/db/client';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { env } from '@/lib/env';
import { ForbiddenError } from '@/lib/errors';
import { logger } from '@/lib/log';

export type Mail = { to: string; subject: string; text: string };

/**
 * Send mail for a tenant. Until an SMTP transport lands, mail is captured in the tenant's dev
 * mailbox (Admin → Mailbox); it is written in the caller's transaction, so a rolled-back change sends nothing.
 */
export async function sendMail(tx: Tx, tenantId: string, mail: Mail): Promise<void> {
  await tx.insert(schema.emails).values({ tenantId, ...mail });
  logger.info({ tenantId, subject: mail.subject }, 'mail captured in dev mailbox');
}

export const MAILBOX_PAGE_SIZE = 20;

/** The dev mailbox exposes every captured message (reset links too) to admins: local use only. */
export function devMailboxEnabled(): boolean {
  return env().LECTERN_DEV_MAILBOX;
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
