import { ValidationError } from '@/lib/errors';
import { defineKind } from './types';

/** An external web page, opened in a new tab. */
export const link = defineKind<{ url: string; description: string }>({
  kind: 'link',
  async parseContent(raw) {
    const input = typeof raw.url === 'string' ? raw.url.trim() : '';
    let url: URL | null = null;
    try {
      url = new URL(input);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || input.length > 2000) throw new ValidationError('linkUrlUnsafe', { field: 'url' });
    const description = typeof raw.description === 'string' ? raw.description.trim().slice(0, 500) : '';
    return { url: url.toString(), description };
  },
  completion: () => 'manual',
});
