import { sanitizeRichText } from '@/lib/courses/sanitize';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** A stored prompt as plain text (sanitised first, then tags dropped), cut to `max` characters. */
export async function promptText(html: string, max = 160): Promise<string> {
  const clean = await sanitizeRichText(html);
  const text = clean
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? (e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1)) || 32) : m))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
