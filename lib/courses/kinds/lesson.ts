import { ValidationError } from '@/lib/errors';
import { sanitizeRichText } from '../sanitize';
import { defineKind } from './types';

const MAX_HTML = 200_000;

/** A page of rich text written in the editor; sanitised on write and again on render. */
export const lesson = defineKind<{ html: string }>({
  kind: 'lesson',
  async parseContent(raw) {
    const html = typeof raw.html === 'string' ? raw.html : '';
    if (html.length > MAX_HTML) throw new ValidationError('lessonTooLong', { field: 'html', params: { limit: MAX_HTML } });
    return { html: await sanitizeRichText(html) };
  },
  completion: () => 'manual',
  async forDisplay(content) {
    return { html: await sanitizeRichText(content.html ?? '') };
  },
});
