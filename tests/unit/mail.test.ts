import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, parseMailFrom } from '@/lib/env';
import type { MailBrand } from '@/lib/mail/brand';
import { escapeHtml, htmlFromText, renderMail, safeUrl } from '@/lib/mail/templates';
import { mailConfig, messageIdFor, redactSmtp, smtpEndpoint } from '@/lib/mail/transport';
import { safeNoticePath } from '@/lib/notifications/links';

const valid = { DATABASE_URL: 'postgres://lectern@127.0.0.1:5432/lectern', APP_DATABASE_URL: 'postgres://lectern_app:s3cret@127.0.0.1:5432/lectern', AUTH_SECRET: 'x'.repeat(32) };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as EnvError).problems;
  }
}

describe('SMTP_URL and MAIL_FROM', () => {
  it('accepts smtp:// and smtps:// URLs, and no URL at all (the dev mailbox)', () => {
    expect(parseEnv({ ...valid, SMTP_URL: 'smtp://user:pass@smtp.example.com:587' }).SMTP_URL).toBe('smtp://user:pass@smtp.example.com:587');
    expect(parseEnv({ ...valid, SMTP_URL: 'smtps://smtp.example.com' }).SMTP_URL).toBe('smtps://smtp.example.com');
    expect(parseEnv({ ...valid }).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...valid, SMTP_URL: '' }).SMTP_URL).toBeUndefined();
  });

  it('names a bad SMTP_URL without echoing it (it holds a password)', () => {
    const found = problems({ ...valid, SMTP_URL: 'http://user:hunter22@mail.example.com' });
    expect(found).toEqual([expect.stringMatching(/^SMTP_URL is invalid: must be an smtp:\/\/ or smtps:\/\/ URL/)]);
    expect(found.join()).not.toContain('hunter22');
  });

  it('takes MAIL_FROM as an address with or without a name', () => {
    expect(parseMailFrom('Lectern <no-reply@lectern.app>')).toEqual({ name: 'Lectern', address: 'no-reply@lectern.app' });
    expect(parseMailFrom('"Acme, Inc." <mail@acme.test>')).toEqual({ name: 'Acme, Inc.', address: 'mail@acme.test' });
    expect(parseMailFrom('no-reply@lectern.app')).toEqual({ name: null, address: 'no-reply@lectern.app' });
    for (const bad of ['lectern', 'Lectern <lectern>', 'a@b.c\r\nBcc: x@y.z', '<a@b.c> trailing']) expect(parseMailFrom(bad)).toBeNull();
    expect(problems({ ...valid, MAIL_FROM: 'not an address' })).toEqual([expect.stringMatching(/^MAIL_FROM is invalid: must be an email address/)]);
  });

  it('falls back to no-reply at the root domain', () => {
    const e = parseEnv({ ...valid, LECTERN_ROOT_DOMAIN: 'lectern.app' });
    expect(mailConfig(e)).toEqual({ smtpUrl: null, from: { name: 'Lectern', address: 'no-reply@lectern.app' } });
    expect(messageIdFor('0b6d2d3e-0000-4000-8000-000000000001', mailConfig(e).from)).toBe('<0b6d2d3e-0000-4000-8000-000000000001@lectern.app>');
  });

  it('never shows the SMTP credentials in what it logs', () => {
    const url = 'smtp://mailer:s%40cret-pass@smtp.example.com:2525';
    expect(smtpEndpoint(url)).toBe('smtp://smtp.example.com:2525');
    expect(smtpEndpoint('smtps://u:p@smtp.example.com')).toBe('smtps://smtp.example.com:465');
    const redacted = redactSmtp('Invalid login for mailer with s@cret-pass at smtp://mailer:s%40cret-pass@smtp.example.com', url);
    expect(redacted).not.toMatch(/s@cret-pass|s%40cret-pass|mailer/);
  });
});

describe('mail templates', () => {
  const brand: MailBrand = { name: 'Acme <Academy>', color: '#0f766e', onColor: '#ffffff', logoUrl: 'http://acme.localhost:3000/brand/logo/x', origin: 'http://acme.localhost:3000' };

  it('escapes every interpolated value and links only http(s) URLs', () => {
    const { html, text } = renderMail(brand, 'Hi <there>', {
      greeting: 'Hello "Bob" & <i>co</i>,',
      paragraphs: ['See https://example.com/a?b=1&c=2. Or javascript:alert(1)'],
      items: [{ title: '<script>x</script>', body: 'b', url: 'javascript:alert(1)' }],
      action: { label: 'Go <now>', url: 'http://acme.localhost:3000/learn' },
    });
    expect(html).not.toMatch(/<script>|<i>co/);
    expect(html).toContain('Hello &quot;Bob&quot; &amp; &lt;i&gt;co&lt;/i&gt;,');
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2"');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<strong>&lt;script&gt;x&lt;/script&gt;</strong>'); // no link for the unsafe URL
    expect(html).toContain('Acme &lt;Academy&gt;');
    expect(html).toContain('<title>Hi &lt;there&gt;</title>');
    expect(html).toContain('background:#0f766e');
    expect(text).toContain('Go <now>: http://acme.localhost:3000/learn');
    expect(text).toContain('Hello "Bob" & <i>co</i>,');
  });

  it('refuses a colour that is not a hex colour (it lands in a style attribute)', () => {
    const { html } = renderMail({ ...brand, color: 'red;background:url(http://x)' }, 's', { paragraphs: ['p'] });
    expect(html).not.toContain('url(http://x)');
  });

  it('gives plain-text mail a branded HTML part with its paragraphs and links', () => {
    const html = htmlFromText(brand, 'Reset', 'Hello Ann,\n\nOpen:\nhttp://acme.localhost:3000/reset-password/abc\n\nThanks');
    expect(html).toContain('<p style="margin:0 0 16px;">Hello Ann,</p>');
    expect(html).toContain('Open:<br><a href="http://acme.localhost:3000/reset-password/abc"');
    expect(escapeHtml(`<a href="x" onclick='y'>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;');
    expect(safeUrl('ftp://x')).toBeNull();
  });
});

describe('notice links', () => {
  it('keeps paths on the organisation’s site and drops everything else', () => {
    expect(safeNoticePath('/learn/course-a?x=1#y')).toBe('/learn/course-a?x=1#y');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 'learn', '/a b', '/a\nb', '', null, undefined]) expect(safeNoticePath(bad)).toBeNull();
  });
});
