/**
 * Mail through a real SMTP peer: an `smtp-server` on a free loopback port (authentication required and
 * accepted), SMTP_URL pointed at it before Lectern reads its configuration. What arrives is parsed with
 * `mailparser`. Then the server goes away: the send fails, is recorded and retried, ends 'failed' after
 * its attempts, and is delivered once the server is back and the event is retried — no mail is lost.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import type { JobContext } from '@/lib/jobs/registry';
import { drainOnce } from '@/lib/jobs/worker';
import { logger } from '@/lib/log';
import { SEND_EMAIL_MAX_ATTEMPTS, sendQueuedEmail } from '@/lib/mail/send-email';
import { EMAIL_QUEUED, sendMail } from '@/lib/mail/service';
import { notify } from '@/lib/notifications/service';
import { addMember, makeOrg, type Org } from '../support/factories';
import { handlerContext } from '../support/jobs';
import { ownerSql } from '../support/owner';
import { freePort } from '../support/ports';

const SMTP_USER = 'lectern-mailer';
const SMTP_PASSWORD = 'pa55-w0rd-not-for-logs';

type Received = { mail: ParsedMail; envelope: { from: string; to: string[] }; user: string | undefined };
const received: Received[] = [];
const port = await freePort();

function startSmtp(): Promise<SMTPServer> {
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'], // plain on loopback; authentication must still happen
    allowInsecureAuth: true,
    authOptional: false,
    onAuth(auth, _session, cb) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) }, user: session.user as string | undefined });
          cb();
        })
        .catch(cb);
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// Before anything reads the configuration (env() is read once per process).
process.env.SMTP_URL = `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`;
process.env.MAIL_FROM = 'Lectern <no-reply@lectern.test>';

const owner = ownerSql();
let smtp: SMTPServer | null = null;
let acme: Org;
let learner: MemberContext;

async function stopSmtp() {
  if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()));
  smtp = null;
}

beforeAll(async () => {
  smtp = await startSmtp();
  acme = await makeOrg('acme');
  learner = await addMember(acme.tenant, 'learner', { name: 'Rosa Parks' });
  await owner`update tenant_settings set display_name = 'Acme Academy', primary_color = '#0f766e' where tenant_id = ${acme.tenant.id}`;
  await drainOnce(); // the set-up's own events
});

afterAll(async () => {
  await stopSmtp();
  await owner.end();
});

async function emailRow(id: string) {
  const [row] = await owner<{ status: string; attempts: number; last_error: string | null; sent_at: Date | null }[]>`
    select status, attempts, last_error, sent_at from emails where id = ${id}`;
  return row!;
}

async function queuedEvent(emailId: string) {
  const [row] = await owner<{ id: string; sent_at: Date | null; attempts: number; given_up: boolean; last_error: string | null }[]>`
    select id, sent_at, attempts, next_attempt_at = 'infinity' as given_up, last_error from outbox where name = ${EMAIL_QUEUED} and payload->>'emailId' = ${emailId}`;
  return row;
}

function queue(subject: string, to = learner.user.email): Promise<string> {
  return withTenant(acme.tenant.id, (tx) => sendMail(tx, acme.tenant.id, { to, subject, text: `Hello,\n\nOpen http://acme.localhost:3000/learn to start.\n\nThanks` }));
}

/** A pino-shaped logger that keeps what it was told. */
function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, fields, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => logger } as unknown as JobContext['log'] };
}

describe('with SMTP_URL set', () => {
  it('queues the mail and its outbox event in the caller’s transaction (a rollback sends nothing)', async () => {
    const id = await queue('Queued, not sent yet');
    expect(await emailRow(id)).toMatchObject({ status: 'queued', attempts: 0, sent_at: null });
    expect(await queuedEvent(id)).toMatchObject({ sent_at: null });

    let rolledBack = '';
    await withTenant(acme.tenant.id, async (tx) => {
      rolledBack = await sendMail(tx, acme.tenant.id, { to: learner.user.email, subject: 'Never', text: 'x' });
      throw new Error('roll back');
    }).catch(() => {});
    expect(await owner`select 1 from emails where id = ${rolledBack}`).toHaveLength(0);
    expect(await queuedEvent(rolledBack)).toBeUndefined();
  });

  it('the send-email job delivers it: subject, from, to, text and branded HTML, Message-ID from the row id', async () => {
    received.length = 0;
    const id = await queue('Welcome to the course');
    await drainOnce();
    const got = received.filter((r) => r.mail.subject === 'Welcome to the course');
    expect(got).toHaveLength(1);
    const { mail, envelope, user } = got[0]!;
    expect(user).toBe(SMTP_USER); // it authenticated
    expect(envelope).toEqual({ from: 'no-reply@lectern.test', to: [learner.user.email] });
    expect(mail.from?.value).toEqual([{ name: 'Acme Academy', address: 'no-reply@lectern.test' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([learner.user.email]);
    expect(mail.messageId).toBe(`<${id}@lectern.test>`);
    expect(mail.text).toContain('Open http://acme.localhost:3000/learn to start.');
    expect(mail.html).toBeTruthy();
    const html = String(mail.html);
    expect(html).toContain('Acme Academy');
    expect(html).toContain('background:#0f766e');
    expect(html).toContain('<a href="http://acme.localhost:3000/learn"');

    const row = await emailRow(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    expect((await queuedEvent(id))!.sent_at).not.toBeNull();

    // Running the handler again for the same mail sends nothing more.
    await withTenant(acme.tenant.id, (tx) =>
      sendQueuedEmail(handlerContext(tx, acme.tenant.id, { name: EMAIL_QUEUED, payload: { emailId: id } })),
    );
    expect(received.filter((r) => r.mail.subject === 'Welcome to the course')).toHaveLength(1);
  });

  it('notify() mails an immediate notice through SMTP with the organisation’s template', async () => {
    received.length = 0;
    await withTenant(acme.tenant.id, (tx) =>
      notify(tx, acme.tenant.id, [{ userId: learner.user.id, type: 'certificate-issued', title: 'Your certificate is ready', body: 'You completed Safety & Health.', link: '/learn', dedupeKey: 'smtp-cert' }]),
    );
    await drainOnce();
    const [got] = received.filter((r) => r.mail.subject === 'Your certificate is ready');
    expect(got).toBeDefined();
    expect(got!.mail.text).toContain('Hello Rosa Parks,');
    expect(got!.mail.text).toContain('Open in Acme Academy: http://acme.localhost:3000/learn');
    expect(String(got!.mail.html)).toContain('You completed Safety &amp; Health.');
  });
});

describe('when the SMTP server cannot be reached', () => {
  it('records the failure with a clear log line (no credentials), keeps the mail queued and retries it', async () => {
    await stopSmtp();
    const id = await queue('Sent while the server is down');

    const { lines, log } = recordingLog();
    const run = withTenant(acme.tenant.id, (tx) =>
      sendQueuedEmail(handlerContext(tx, acme.tenant.id, { name: EMAIL_QUEUED, payload: { emailId: id } }, log)),
    );
    await expect(run).rejects.toThrow(/SMTP send failed: .*ECONNREFUSED/);
    const line = lines.find((l) => l.level === 'warn')!;
    expect(line.msg).toMatch(new RegExp(`mail not sent through smtp://127\\.0\\.0\\.1:${port} \\(attempt 1 of ${SEND_EMAIL_MAX_ATTEMPTS}\\); it stays queued and will be retried: .*ECONNREFUSED`));
    expect(line.fields).toMatchObject({ emailId: id, attempt: 1 });
    expect(JSON.stringify(lines)).not.toContain(SMTP_PASSWORD);
    const row = await emailRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
    expect(row.last_error).toMatch(/ECONNREFUSED/);
    expect(row.last_error).not.toContain(SMTP_PASSWORD);
  });

  it('through the worker: backs off, ends failed after its attempts (dead letter), and is delivered once the server is back', async () => {
    received.length = 0;
    const id = await queue('Outage mail');
    await drainOnce();
    const event = (await queuedEvent(id))!;
    expect(event).toMatchObject({ sent_at: null, attempts: 1, given_up: false });
    expect(event.last_error).toMatch(/send-email: Error: SMTP send failed: .*ECONNREFUSED/);
    expect(await emailRow(id)).toMatchObject({ status: 'queued', attempts: 1 });

    for (let attempt = 2; attempt <= SEND_EMAIL_MAX_ATTEMPTS; attempt += 1) {
      await owner`update outbox set next_attempt_at = now() where id = ${event.id}`;
      await drainOnce();
    }
    expect(await queuedEvent(id)).toMatchObject({ sent_at: null, attempts: SEND_EMAIL_MAX_ATTEMPTS, given_up: true });
    expect(await emailRow(id)).toMatchObject({ status: 'failed', attempts: SEND_EMAIL_MAX_ATTEMPTS, sent_at: null });

    // Nothing is lost: the server comes back, an admin retries the dead letter, the mail goes out.
    smtp = await startSmtp();
    await owner`update outbox set next_attempt_at = now() where id = ${event.id}`;
    await drainOnce();
    expect(received.map((r) => r.mail.subject)).toContain('Outage mail');
    expect(received.find((r) => r.mail.subject === 'Outage mail')!.mail.messageId).toBe(`<${id}@lectern.test>`);
    expect(await emailRow(id)).toMatchObject({ status: 'sent', attempts: SEND_EMAIL_MAX_ATTEMPTS + 1, last_error: null });
    expect((await queuedEvent(id))!.sent_at).not.toBeNull();
  });

  it('a recipient the server refuses for good is marked failed at once, without retries', async () => {
    await stopSmtp();
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (_auth, _s, cb) => cb(null, { user: SMTP_USER }),
      onRcptTo: (address, _s, cb) => (address.address.startsWith('nobody@') ? cb(Object.assign(new Error('No such user'), { responseCode: 550 })) : cb()),
      onData: (stream, _s, cb) => {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    try {
      const id = await queue('To nobody', 'nobody@acme.test');
      await drainOnce();
      expect(await emailRow(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/550/) });
      expect((await queuedEvent(id))!.sent_at).not.toBeNull(); // nothing left to retry
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
