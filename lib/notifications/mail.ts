import type { MailBrand } from '@/lib/mail/brand';
import type { Mail } from '@/lib/mail/service';
import { mailText, renderMail, type MailItem } from '@/lib/mail/templates';
import { safeNoticePath } from './links';

export const PREFERENCES_PATH = '/account/notifications';
export const NOTIFICATIONS_PATH = '/notifications';

type Recipient = { email: string; name: string };
type Notice = { title: string; body: string; link: string | null };

function footer(brand: MailBrand): string[] {
  return [mailText('noticeFooter', { org: brand.name, url: `${brand.origin}${PREFERENCES_PATH}` })];
}

/** The mail for one notice sent at once: its title as subject and heading, its body, a button to its link. */
export function noticeMail(brand: MailBrand, to: Recipient, notice: Notice): Mail {
  const path = safeNoticePath(notice.link) ?? NOTIFICATIONS_PATH;
  const { html, text } = renderMail(brand, notice.title, {
    heading: notice.title,
    greeting: mailText('greeting', { name: to.name }),
    paragraphs: notice.body ? [notice.body] : [],
    action: { label: mailText('open', { org: brand.name }), url: `${brand.origin}${path}` },
    footer: footer(brand),
  });
  return { to: to.email, subject: notice.title, text, html };
}

/** A digest lists at most this many notices; the rest are counted and one link away. */
export const DIGEST_MAX_ITEMS = 50;

/** One member's daily summary: every pending notice (up to DIGEST_MAX_ITEMS listed), newest last. */
export function digestMail(brand: MailBrand, to: Recipient, notices: readonly Notice[]): Mail {
  const listed = notices.slice(0, DIGEST_MAX_ITEMS);
  const items: MailItem[] = listed.map((n) => {
    const path = safeNoticePath(n.link);
    return { title: n.title, body: n.body || undefined, url: path ? `${brand.origin}${path}` : null };
  });
  const rest = notices.length - listed.length;
  const subject = mailText('digest.subject', { count: notices.length, org: brand.name });
  const { html, text } = renderMail(brand, subject, {
    heading: mailText('digest.heading'),
    greeting: mailText('greeting', { name: to.name }),
    paragraphs: [mailText('digest.intro', { count: notices.length, org: brand.name })],
    items,
    after: rest > 0 ? [mailText('digest.more', { count: rest })] : [],
    action: { label: mailText('digest.viewAll'), url: `${brand.origin}${NOTIFICATIONS_PATH}` },
    footer: footer(brand),
  });
  return { to: to.email, subject, text, html };
}
