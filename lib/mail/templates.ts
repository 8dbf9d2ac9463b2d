import { createTranslator } from 'use-intl/core';
import en from '@/lib/i18n/messages/en.json';
import type { MailBrand } from './brand';

/**
 * Mail templates: one small branded layout (HTML + plain text) that every mail goes through. Every value
 * put into the HTML is escaped here, and links must be absolute http(s) URLs; nothing else becomes a link.
 */

/** Mail text in the organisation's language (English until organisations choose one). */
export const mailText = createTranslator({ locale: 'en', messages: en, namespace: 'mail' });

/** One entry of a list (a digest's notices). */
export type MailItem = { title: string; body?: string; url?: string | null };

export type MailContent = {
  /** Shown in the inbox list next to the subject; defaults to the first paragraph. */
  preheader?: string;
  greeting?: string;
  heading?: string;
  paragraphs: string[];
  items?: MailItem[];
  /** Paragraphs after the list. */
  after?: string[];
  action?: { label: string; url: string };
  /** Small print (why this mail came, where to change it). */
  footer?: string[];
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** An absolute http(s) URL, or null: only these become links. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/** Escape text, turn its http(s) URLs into links and its line breaks into <br>. */
function richText(text: string, linkColor: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const url = safeUrl(m[0]);
    out += escapeHtml(text.slice(last, m.index));
    out += url ? `<a href="${escapeHtml(url)}" style="color:${linkColor};word-break:break-all">${escapeHtml(m[0])}</a>` : escapeHtml(m[0]);
    last = m.index! + m[0].length;
  }
  out += escapeHtml(text.slice(last));
  return out.replace(/\r?\n/g, '<br>');
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** The branded HTML and the plain-text part of one mail. */
export function renderMail(brand: MailBrand, subject: string, content: MailContent): { html: string; text: string } {
  const color = /^#[0-9a-f]{6}$/i.test(brand.color) ? brand.color : '#4f46e5';
  const onColor = /^#[0-9a-f]{6}$/i.test(brand.onColor) ? brand.onColor : '#ffffff';
  // Links are shown on white: the brand colour when it is dark enough to read, else a dark slate.
  const linkColor = onColor === '#ffffff' ? color : '#1e293b';
  const p = (text: string, style = '') => `<p style="margin:0 0 16px;${style}">${richText(text, linkColor)}</p>`;
  const logo = safeUrl(brand.logoUrl);
  const action = content.action && safeUrl(content.action.url) ? { label: content.action.label, url: safeUrl(content.action.url)! } : null;
  const items = content.items ?? [];
  const preheader = content.preheader ?? content.paragraphs[0] ?? '';

  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f1f5f9;font-family:${FONT};color:#0f172a">`,
    `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(preheader)}</div>`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f5f9"><tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;overflow:hidden;border:1px solid #e2e8f0">',
    `<tr><td style="background:${color};color:${onColor};padding:16px 24px;font-size:18px;font-weight:600">`,
    logo ? `<img src="${escapeHtml(logo)}" alt="" height="32" style="height:32px;max-width:160px;vertical-align:middle;margin-right:12px;background:#ffffff;border-radius:4px;padding:2px">` : '',
    `<span style="vertical-align:middle">${escapeHtml(brand.name)}</span></td></tr>`,
    '<tr><td style="padding:24px;font-size:15px;line-height:1.55">',
    content.heading ? `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(content.heading)}</h1>` : '',
    content.greeting ? p(content.greeting) : '',
    ...content.paragraphs.map((t) => p(t)),
    items.length
      ? `<ul style="margin:0 0 16px;padding:0;list-style:none">${items
          .map((item) => {
            const url = safeUrl(item.url);
            const title = url ? `<a href="${escapeHtml(url)}" style="color:${linkColor};font-weight:600">${escapeHtml(item.title)}</a>` : `<strong>${escapeHtml(item.title)}</strong>`;
            return `<li style="margin:0 0 12px;padding:0 0 12px;border-bottom:1px solid #e2e8f0">${title}${item.body ? `<br><span style="color:#334155">${richText(item.body, linkColor)}</span>` : ''}</li>`;
          })
          .join('')}</ul>`
      : '',
    ...(content.after ?? []).map((t) => p(t)),
    action
      ? `<p style="margin:24px 0 8px"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:${color};color:${onColor};padding:10px 18px;border-radius:6px;font-weight:600;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
        p(mailText('linkFallback', { url: action.url }), 'font-size:12px;color:#475569')
      : '',
    '</td></tr>',
    `<tr><td style="padding:16px 24px;background:#f8fafc;color:#475569;font-size:12px;line-height:1.5">`,
    ...(content.footer ?? []).map((t) => p(t, 'margin:0 0 8px')),
    p(mailText('sentBy', { org: brand.name }), 'margin:0'),
    '</td></tr></table></td></tr></table></body></html>',
  ].join('');

  const text = [
    content.heading,
    content.greeting,
    ...content.paragraphs,
    ...items.map((item) => [`- ${item.title}`, item.body ? `  ${item.body.replace(/\n/g, '\n  ')}` : null, safeUrl(item.url) ? `  ${safeUrl(item.url)}` : null].filter(Boolean).join('\n')),
    ...(content.after ?? []),
    action ? `${action.label}: ${action.url}` : undefined,
    '--',
    ...(content.footer ?? []),
    mailText('sentBy', { org: brand.name }),
  ]
    .filter((part): part is string => !!part)
    .join('\n\n');
  return { html, text };
}

/**
 * The branded HTML for a mail written as plain text (invitations, password resets): its paragraphs, with
 * URLs as links. The text part stays exactly as the caller wrote it.
 */
export function htmlFromText(brand: MailBrand, subject: string, text: string): string {
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  return renderMail(brand, subject, { paragraphs }).html;
}
