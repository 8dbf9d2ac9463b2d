import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, withTenant } from '@/db/client';
import type { JobContext } from '@/lib/jobs/registry';
import { errorText } from '@/lib/jobs/run';
import { loadMailBrand } from './brand';
import { mailConfig, messageIdFor, redactSmtp, smtpEndpoint, smtpTransport } from './transport';

/** Retries after the first attempt; backoff comes from the outbox (10 s, 20 s, … ≈ 40 minutes in all). */
export const SEND_EMAIL_RETRIES = 8;
export const SEND_EMAIL_MAX_ATTEMPTS = 1 + SEND_EMAIL_RETRIES;

const EmailQueued = z.object({ emailId: z.uuid() });

type SmtpError = Error & { code?: string; responseCode?: number; command?: string };

/** A recipient the server refused for good (5xx to RCPT TO): retrying cannot help. */
function permanentFailure(e: SmtpError): boolean {
  return e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 500;
}

/**
 * Job `send-email` (on lectern/email.queued.v1): send one queued mail through SMTP_URL. The row's id is the
 * Message-ID. Success marks it 'sent' in the run's transaction. A failure is recorded (attempts,
 * last_error) in a transaction of its own — the run's is rolled back — and thrown, so the outbox retries
 * with backoff; the last allowed attempt leaves the mail 'failed' (and the outbox dead-letters the event).
 * A mail already sent, or kept in the dev mailbox, is left alone: re-running is harmless.
 */
export async function sendQueuedEmail({ tenantId, tx, event, log }: JobContext): Promise<void> {
  const { emailId } = EmailQueued.parse(event.payload);
  const e = schema.emails;
  const key = and(eq(e.tenantId, tenantId), eq(e.id, emailId));
  const [mail] = await tx.select({ to: e.to, subject: e.subject, text: e.text, html: e.html, status: e.status }).from(e).where(key);
  if (!mail) {
    log.warn({ emailId }, 'send-email: the mail no longer exists; nothing to send');
    return;
  }
  if (mail.status === 'sent' || mail.status === 'captured') return;

  const config = mailConfig();
  const where = config.smtpUrl ? smtpEndpoint(config.smtpUrl) : 'no SMTP_URL';
  /** Record a failed attempt where it outlives the run's rollback; 'failed' on the last attempt, or at once when permanent. */
  const recordFailure = async (error: string, permanent: boolean) => {
    const [row] = await withTenant(tenantId, (own) =>
      own
        .update(e)
        .set({
          attempts: sql`${e.attempts} + 1`,
          lastError: error,
          status: permanent ? 'failed' : sql`case when ${e.attempts} + 1 >= ${SEND_EMAIL_MAX_ATTEMPTS} then 'failed' else 'queued' end`,
        })
        .where(key)
        .returning({ attempts: e.attempts, status: e.status }),
    );
    const fields = { emailId, smtp: where, attempt: row?.attempts, maxAttempts: SEND_EMAIL_MAX_ATTEMPTS };
    if (permanent) log.error(fields, `mail refused for good by ${where}, not retried: ${error}`);
    else if (row?.status === 'failed') log.error(fields, `mail could not be sent through ${where} after ${row.attempts} attempts; it is marked failed: ${error}`);
    else log.warn(fields, `mail not sent through ${where} (attempt ${row?.attempts} of ${SEND_EMAIL_MAX_ATTEMPTS}); it stays queued and will be retried: ${error}`);
  };

  if (!config.smtpUrl) {
    const error = 'SMTP_URL is not set on the process running jobs; the mail stays queued until it is';
    await recordFailure(error, false);
    throw new Error(error);
  }
  const brand = await loadMailBrand(tx, tenantId);
  try {
    await smtpTransport(config.smtpUrl).sendMail({
      from: { name: brand.name, address: config.from.address },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? undefined,
      messageId: messageIdFor(emailId, config.from),
    });
  } catch (err) {
    const error = redactSmtp(errorText(err), config.smtpUrl).slice(0, 500);
    const permanent = permanentFailure(err as SmtpError);
    await recordFailure(error, permanent);
    if (permanent) return; // recorded as failed: retrying cannot help, so the run ends here
    throw new Error(`SMTP send failed: ${error}`);
  }
  await tx.update(e).set({ status: 'sent', sentAt: sql`now()`, attempts: sql`${e.attempts} + 1`, lastError: null }).where(key);
  log.info({ emailId }, 'mail sent');
}
