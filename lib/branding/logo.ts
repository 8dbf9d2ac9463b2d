import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ValidationError } from '@/lib/errors';

export const MAX_LOGO_BYTES = 1024 * 1024;
const RASTER = new Set(['image/png', 'image/jpeg', 'image/webp']);

export type CheckedLogo = { contentType: string; data: Buffer; sha256: string };

/** An SVG document, judged by its text: optional BOM, XML declaration, comments or doctype, then <svg. */
function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head);
}

/** Remove @import rules and any url() that is not a same-document fragment (url(#gradient) stays). */
export function withoutExternalCss(css: string): string {
  return css.replace(/@import[^;]*;?/gi, '').replace(/url\(\s*(['"]?)(?!#)[^)]*\)/gi, 'none');
}

async function sanitiseSvg(text: string): Promise<string> {
  const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
  const window = new JSDOM('').window;
  try {
    const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
    // CSS can fetch too (@import, url(https://…)): keep styles, drop every reference outside the document.
    purify.addHook('uponSanitizeElement', (node, data) => {
      if (data.tagName === 'style' && node.textContent) node.textContent = withoutExternalCss(node.textContent);
    });
    purify.addHook('uponSanitizeAttribute', (_node, data) => {
      if (data.attrName === 'style') data.attrValue = withoutExternalCss(data.attrValue);
    });
    const clean = purify.sanitize(text, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS: ['foreignObject', 'use'], FORBID_ATTR: ['href', 'xlink:href'] });
    // DOMPurify serialises as HTML, which writes U+00A0 as &nbsp;: undefined in XML, so the SVG would not render.
    return String(clean).replace(/&nbsp;/g, '&#160;');
  } finally {
    window.close();
  }
}

/**
 * Accept a logo by its content, not its name: PNG, JPEG or WebP by magic bytes, or SVG after it has
 * been sanitised (scripts, event handlers, external references removed). At most 1 MB.
 */
export async function checkLogo(bytes: Buffer): Promise<CheckedLogo> {
  if (bytes.length === 0) throw new ValidationError('logoMissing', { field: 'logo' });
  if (bytes.length > MAX_LOGO_BYTES) throw new ValidationError('logoTooBig', { field: 'logo', params: { size: (bytes.length / 1024 / 1024).toFixed(1) } });
  const type = await fileTypeFromBuffer(bytes);
  let contentType: string;
  let data: Buffer;
  if (type && RASTER.has(type.mime)) {
    contentType = type.mime;
    data = bytes;
  } else if (!type || type.mime === 'application/xml') {
    if (!looksLikeSvg(bytes)) throw new ValidationError('logoNotImage', { field: 'logo' });
    const clean = await sanitiseSvg(bytes.toString('utf8'));
    if (!/^<svg[\s>]/i.test(clean.trim())) throw new ValidationError('svgUnsafe', { field: 'logo' });
    contentType = 'image/svg+xml';
    data = Buffer.from(clean, 'utf8');
  } else {
    throw new ValidationError('logoWrongType', { field: 'logo', params: { mime: type.mime } });
  }
  return { contentType, data, sha256: createHash('sha256').update(data).digest('hex') };
}
