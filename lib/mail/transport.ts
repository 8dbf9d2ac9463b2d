import nodemailer, { type Transporter } from 'nodemailer';
import { env, parseMailFrom, type Env } from '@/lib/env';
import { hostName } from '@/lib/tenancy/host';

/** How this process sends mail: SMTP when SMTP_URL is set, else mail is kept in the dev mailbox. */
export type MailConfig = { smtpUrl: string | null; from: { name: string | null; address: string } };

export function mailConfig(e: Env = env()): MailConfig {
  const from = parseMailFrom(e.MAIL_FROM ?? `Lectern <no-reply@${hostName(e.LECTERN_ROOT_DOMAIN)}>`);
  // MAIL_FROM was validated with parseMailFrom; a root domain always makes a valid fallback address.
  return { smtpUrl: e.SMTP_URL ?? null, from: from ?? { name: 'Lectern', address: 'no-reply@localhost' } };
}

/** The SMTP server as logs may name it: host and port, never the credentials in the URL. */
export function smtpEndpoint(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return 'smtp (unparseable SMTP_URL)';
  }
}

/** Remove the SMTP URL's user and password from a text (an error message), wherever they appear. */
export function redactSmtp(text: string, smtpUrl: string): string {
  let out = text.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@');
  try {
    const u = new URL(smtpUrl);
    for (const secret of [u.password, decodeURIComponent(u.password), u.username, decodeURIComponent(u.username)]) {
      if (secret.length >= 3) out = out.split(secret).join('[redacted]');
    }
  } catch {
    // nothing more to redact
  }
  return out;
}

/** The Message-ID of a stored mail: its row id, so a resend after a crash is recognisably the same message. */
export function messageIdFor(emailId: string, from: MailConfig['from']): string {
  return `<${emailId}@${from.address.split('@')[1]}>`;
}

let cached: { url: string; transport: Transporter } | null = null;

/**
 * One transport per SMTP_URL. Not pooled: each message opens its own connection, so an SMTP server that
 * went away costs one failed send (retried by the job), never a stuck pool. Timeouts are short because a
 * send happens inside the job's database transaction.
 */
export function smtpTransport(smtpUrl: string): Transporter {
  if (cached?.url !== smtpUrl) {
    cached = { url: smtpUrl, transport: nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, logger: false, debug: false }) };
  }
  return cached.transport;
}
