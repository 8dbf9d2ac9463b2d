import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';

/** What a certificate PDF shows. Names and titles are as copied at issue. */
export type CertificatePdfInput = {
  organisation: string;
  /** The organisation's primary colour, `#rrggbb`; anything else falls back to Lectern's default. */
  brandColor: string;
  /** The organisation's logo; PNG and JPEG are drawn, any other type (SVG, WebP) or a broken file is left out. */
  logo?: { contentType: string; data: Uint8Array } | null;
  recipientName: string;
  title: string;
  kind: 'course' | 'program';
  completedAt: Date;
  code: string;
  verifyUrl: string;
};

const WIDTH = 842; // A4 landscape, in points
const HEIGHT = 595;
const MARGIN = 36;
const DEFAULT_BRAND = '#4f46e5';
const INK = rgb(0.07, 0.09, 0.15);
const MUTED = rgb(0.33, 0.36, 0.42);

function colour(hex: string): RGB {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) ?? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(DEFAULT_BRAND)!;
  return rgb(parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255);
}

/** Black or white text, whichever reads better on the colour (relative luminance, as WCAG). */
function luminance(c: RGB): number {
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c.red) + 0.7152 * lin(c.green) + 0.0722 * lin(c.blue);
}

function textOn(c: RGB): RGB {
  const l = luminance(c);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? rgb(1, 1, 1) : INK;
}

/** The brand colour for large text on white, unless it is too pale to read there (contrast under 3:1). */
function readableOnWhite(c: RGB): RGB {
  return 1.05 / (luminance(c) + 0.05) >= 3 ? c : INK;
}

// Latin letters with no decomposition to a base letter (so NFD cannot strip them).
const PLAIN: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't', ĸ: 'k', Ŋ: 'N', ŋ: 'n' };

/**
 * The standard PDF fonts only know Windows-1252: keep what they can draw, strip accents they cannot (ă → a,
 * Ł → L), draw anything else as ? (non-Latin scripts would need an embedded Unicode font), and turn control
 * characters and line breaks into spaces.
 */
export function drawable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')) {
    if (known.has(ch.codePointAt(0)!)) {
      out += ch;
      continue;
    }
    const bare = PLAIN[ch] ?? ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += bare && [...bare].every((c) => known.has(c.codePointAt(0)!)) ? bare : '?';
  }
  return out.trim();
}

/** Lines of at most `width` at `size`, breaking at spaces (a single over-long word is cut). */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The text cut to fit `width` at `size`, with an ellipsis when anything was cut (or `always`). */
function truncated(font: PDFFont, text: string, size: number, width: number, always = false): string {
  if (!always && font.widthOfTextAtSize(text, size) <= width) return text;
  const ellipsis = font.getCharacterSet().includes(0x2026) ? '\u2026' : '...';
  let cut = text;
  while (cut.length > 1 && font.widthOfTextAtSize(cut + ellipsis, size) > width) cut = cut.slice(0, -1);
  return cut.trimEnd() + ellipsis;
}

/** Centre text on the page, shrinking it (down to `min`) and then wrapping (at most `maxLines`) to fit. Returns the y below it. */
function centred(page: PDFPage, font: PDFFont, raw: string, opts: { y: number; size: number; min?: number; width?: number; color: RGB; maxLines?: number }): number {
  const text = drawable(font, raw);
  const width = opts.width ?? WIDTH - 2 * MARGIN - 80;
  let size = opts.size;
  while (size > (opts.min ?? opts.size) && font.widthOfTextAtSize(text, size) > width) size -= 1;
  let lines = wrap(font, text, size, width);
  const maxLines = opts.maxLines ?? 2;
  if (lines.length > maxLines) {
    lines = lines.slice(0, maxLines);
    lines[maxLines - 1] = truncated(font, lines[maxLines - 1]!, size, width, true);
  }
  let y = opts.y;
  for (const line of lines) {
    const w = Math.min(font.widthOfTextAtSize(line, size), width);
    page.drawText(line, { x: (WIDTH - w) / 2, y, size, font, color: opts.color });
    y -= size * 1.25;
  }
  return y;
}

async function embedLogo(doc: PDFDocument, logo: CertificatePdfInput['logo']): Promise<PDFImage | null> {
  if (!logo) return null;
  // A copy at offset 0: pdf-lib reads JPEGs through `data.buffer`, so a Buffer slice of a shared pool (a bytea
  // column, a small Buffer.from) would be read from the wrong place.
  const bytes = Uint8Array.from(logo.data);
  try {
    if (logo.contentType === 'image/png') return await doc.embedPng(bytes);
    if (logo.contentType === 'image/jpeg') return await doc.embedJpg(bytes);
  } catch {
    // A logo pdf-lib cannot read (a truncated file, an odd PNG): the certificate goes out without it.
  }
  return null;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The certificate as a one-page A4 landscape PDF in the organisation's colours, with its code and verification address. */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const [regular, bold, italic] = await Promise.all([doc.embedFont(StandardFonts.Helvetica), doc.embedFont(StandardFonts.HelveticaBold), doc.embedFont(StandardFonts.HelveticaOblique)]);
  const brand = colour(input.brandColor);
  const onBrand = textOn(brand);
  const page = doc.addPage([WIDTH, HEIGHT]);

  // Frame and header band in the organisation's colour.
  page.drawRectangle({ x: MARGIN / 2, y: MARGIN / 2, width: WIDTH - MARGIN, height: HEIGHT - MARGIN, borderColor: brand, borderWidth: 3 });
  const bandHeight = 84;
  const bandTop = HEIGHT - MARGIN;
  page.drawRectangle({ x: MARGIN, y: bandTop - bandHeight, width: WIDTH - 2 * MARGIN, height: bandHeight, color: brand });
  const logo = await embedLogo(doc, input.logo);
  let nameX = MARGIN + 24;
  if (logo) {
    const box = logo.scaleToFit(140, bandHeight - 24);
    page.drawRectangle({ x: MARGIN + 16, y: bandTop - bandHeight + 8, width: box.width + 16, height: bandHeight - 16, color: rgb(1, 1, 1) });
    page.drawImage(logo, { x: MARGIN + 24, y: bandTop - bandHeight / 2 - box.height / 2, width: box.width, height: box.height });
    nameX = MARGIN + 24 + box.width + 28;
  }
  const nameWidth = WIDTH - MARGIN - nameX - 24;
  let orgName = drawable(bold, input.organisation);
  let orgSize = 24;
  while (orgSize > 12 && bold.widthOfTextAtSize(orgName, orgSize) > nameWidth) orgSize -= 1;
  orgName = truncated(bold, orgName, orgSize, nameWidth);
  page.drawText(orgName, { x: nameX, y: bandTop - bandHeight / 2 - orgSize / 3, size: orgSize, font: bold, color: onBrand });

  // The body, centred.
  let y = bandTop - bandHeight - 62;
  y = centred(page, bold, input.kind === 'program' ? 'Program Certificate' : 'Certificate of Completion', { y, size: 30, color: readableOnWhite(brand) });
  y = centred(page, italic, 'This certifies that', { y: y - 14, size: 14, color: MUTED });
  y = centred(page, bold, input.recipientName, { y: y - 12, size: 34, min: 18, color: INK, maxLines: 2 });
  y = centred(page, italic, input.kind === 'program' ? 'has completed every course of the program' : 'has completed the course', { y: y - 8, size: 14, color: MUTED });
  y = centred(page, bold, input.title, { y: y - 10, size: 24, min: 18, color: INK, maxLines: 2 });
  centred(page, regular, `on ${DATE.format(input.completedAt)}`, { y: y - 8, size: 14, color: MUTED });

  // The code and where to check it.
  page.drawLine({ start: { x: MARGIN + 40, y: 112 }, end: { x: WIDTH - MARGIN - 40, y: 112 }, thickness: 0.75, color: brand, opacity: 0.6 });
  centred(page, bold, `Certificate code: ${input.code}`, { y: 88, size: 13, color: INK });
  centred(page, regular, `Verify this certificate at ${input.verifyUrl}`, { y: 68, size: 11, min: 7, color: MUTED, maxLines: 1 });

  doc.setTitle(`${input.kind === 'program' ? 'Program certificate' : 'Certificate of completion'}: ${input.title}`);
  doc.setAuthor(input.organisation);
  doc.setSubject(`Awarded to ${input.recipientName}`);
  doc.setKeywords([input.code, input.verifyUrl]);
  doc.setCreator('Lectern');
  doc.setProducer('Lectern');
  doc.setCreationDate(input.completedAt);
  return Buffer.from(await doc.save());
}
