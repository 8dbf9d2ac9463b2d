import { createHash } from 'node:crypto';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { checkLogo, MAX_LOGO_BYTES } from '@/lib/branding/logo';
import { ValidationError } from '@/lib/errors';
import { GIF_1x1, JPEG_HEADER, PDF, PNG_1x1, WEBP_1x1 } from '../support/images';

const svg = (body: string, attrs = '') => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"${attrs}>${body}</svg>`);

/** How a browser reads a file served as image/svg+xml: strict XML, root element in the SVG namespace. */
function parsesAsSvg(text: string): boolean {
  const { window } = new JSDOM('');
  try {
    const doc = new window.DOMParser().parseFromString(text, 'image/svg+xml');
    return doc.documentElement.localName === 'svg' && doc.documentElement.namespaceURI === 'http://www.w3.org/2000/svg';
  } finally {
    window.close();
  }
}

async function rejection(bytes: Buffer): Promise<ValidationError> {
  const e = await checkLogo(bytes).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'the file should have been refused').toBeInstanceOf(ValidationError);
  expect((e as ValidationError).field).toBe('logo');
  return e as ValidationError;
}

describe('checkLogo: raster images', () => {
  it.each([
    ['PNG', PNG_1x1, 'image/png'],
    ['JPEG', JPEG_HEADER, 'image/jpeg'],
    ['WebP', WEBP_1x1, 'image/webp'],
  ])('accepts a %s by its magic bytes, unchanged, with its sha256', async (_, bytes, type) => {
    const logo = await checkLogo(bytes);
    expect(logo.contentType).toBe(type);
    expect(Buffer.compare(logo.data, bytes)).toBe(0);
    expect(logo.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it.each([
    ['a GIF', GIF_1x1, /image\/gif/],
    ['a PDF', PDF, /application\/pdf/],
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'), /not a PNG, JPEG, WebP or SVG/],
    ['an HTML page holding an SVG', Buffer.from('<html><body><svg xmlns="http://www.w3.org/2000/svg"></svg></body></html>'), /not a PNG, JPEG, WebP or SVG/],
    ['plain text', Buffer.from('just some notes about our logo'), /not a PNG, JPEG, WebP or SVG/],
    ['arbitrary bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 251)), /not a PNG, JPEG, WebP or SVG/],
  ])('refuses %s', async (_, bytes, message) => {
    expect((await rejection(bytes)).message).toMatch(message);
  });

  it('refuses an empty file', async () => {
    expect((await rejection(Buffer.alloc(0))).message).toMatch(/Choose an image/);
  });

  it('accepts exactly 1 MB and refuses anything larger, saying the limit is 1 MB', async () => {
    const exactly = Buffer.concat([PNG_1x1, Buffer.alloc(MAX_LOGO_BYTES - PNG_1x1.length)]);
    expect((await checkLogo(exactly)).contentType).toBe('image/png');
    const tooBig = Buffer.concat([PNG_1x1, Buffer.alloc(MAX_LOGO_BYTES - PNG_1x1.length + 1)]);
    expect((await rejection(tooBig)).message).toMatch(/limit is 1 MB/);
    expect((await rejection(Buffer.alloc(5 * 1024 * 1024))).message).toMatch(/5\.0 MB.*1 MB/);
  });
});

describe('checkLogo: SVG', () => {
  it('accepts a clean SVG, with or without an XML declaration, as well-formed image/svg+xml', async () => {
    for (const text of [
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#ff0000"/></svg>',
      '<!-- exported --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
      '\uFEFF<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>',
    ]) {
      const logo = await checkLogo(Buffer.from(text));
      expect(logo.contentType).toBe('image/svg+xml');
      const out = logo.data.toString('utf8');
      expect(parsesAsSvg(out), out).toBe(true);
      expect(logo.sha256).toBe(createHash('sha256').update(logo.data).digest('hex'));
    }
    const rect = (await checkLogo(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#ff0000"/></svg>'))).data.toString();
    expect(rect).toMatch(/viewBox="0 0 10 10"/);
    expect(rect).toMatch(/<rect width="10" height="10" fill="#ff0000"/);
  });

  it('removes script elements', async () => {
    const out = (await checkLogo(svg('<script>alert(1)</script><SCRIPT type="text/javascript">alert(2)</SCRIPT><rect width="1" height="1"/>'))).data.toString();
    expect(out).not.toMatch(/script|alert/i);
    expect(out).toContain('<rect');
  });

  it('removes event-handler attributes', async () => {
    const out = (await checkLogo(svg('<g onclick="steal()"><rect onmouseover="steal()" width="1" height="1"/></g>', ' onload="steal()"'))).data.toString();
    expect(out).not.toMatch(/\bon[a-z]+\s*=/i);
    expect(out).not.toContain('steal');
    expect(out).toContain('<rect');
  });

  it('removes javascript: links, in href and xlink:href, and animations that would set them', async () => {
    const out = (
      await checkLogo(
        svg(
          '<a href="javascript:steal()"><text>a</text></a><a xlink:href="javascript:steal()"><text>b</text></a>' +
            '<a><animate attributeName="href" values="javascript:steal()"/><set attributeName="href" to="javascript:steal()"/><text>c</text></a>',
          ' xmlns:xlink="http://www.w3.org/1999/xlink"',
        ),
      )
    ).data.toString();
    expect(out).not.toMatch(/javascript:|steal/i);
    expect(out).toContain('<text>c</text>');
  });

  it('removes foreignObject (HTML inside SVG) and <use> references', async () => {
    const out = (await checkLogo(svg('<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.test"></iframe></div></foreignObject><use href="https://evil.test/x.svg#a"/><circle r="2"/>'))).data.toString();
    expect(out).not.toMatch(/foreignObject|iframe|<use|evil\.test/i);
    expect(out).toContain('<circle');
  });

  it('keeps the result well-formed XML when the drawing contains a no-break space', async () => {
    // Valid SVG; HTML serialisation would write the character as &nbsp;, which XML does not define.
    const out = (await checkLogo(svg('<text>Acme\u00a0Academy</text>'))).data.toString();
    expect(parsesAsSvg(out), out).toBe(true);
    expect(out).not.toContain('&nbsp;');
  });

  it('refuses a document that is not an SVG once cleaned', async () => {
    expect((await rejection(Buffer.from('<?xml version="1.0"?><note><to>x</to></note>'))).message).toMatch(/not a PNG, JPEG, WebP or SVG/);
  });
});

describe('external references in SVG styles', () => {
  it('drops @import and remote url() from <style> and style attributes, keeping local ones', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(https://evil.test/x.css); .a{fill:url(#g)} .b{background:url("https://evil.test/p.png")}</style><rect class="a" style="fill:url(http://evil.test/y)" width="10" height="10"/></svg>`;
    const out = (await checkLogo(Buffer.from(svg))).data.toString('utf8');
    expect(out).not.toMatch(/evil\.test/);
    expect(out).not.toMatch(/@import/);
    expect(out).toContain('url(#g)');
    expect(out).toContain('<rect');
  });
});
