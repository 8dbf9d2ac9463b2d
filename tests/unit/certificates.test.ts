import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, newCertificateCode, normaliseCertificateCode } from '@/lib/certificates/code';
import { renderCertificatePdf, type CertificatePdfInput } from '@/lib/certificates/pdf';
import { JPEG_HEADER, PNG_1x1, WEBP_1x1 } from '../support/images';
import { pdfText } from '../support/pdf-text';

describe('certificate codes', () => {
  it('are 16 characters in four groups from an alphabet without look-alikes, and do not repeat', () => {
    const codes = Array.from({ length: 2000 }, () => newCertificateCode());
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
    const used = new Set(codes.join('').replace(/-/g, ''));
    for (const ch of '01OIL') {
      expect(CODE_ALPHABET).not.toContain(ch);
      expect(used.has(ch)).toBe(false);
    }
    // Every character of the alphabet turns up: the choice is not biased to a part of it.
    expect(used.size).toBe(CODE_ALPHABET.length);
  });

  it('reads a code however it was typed, and refuses what cannot be one without looking it up', () => {
    const code = newCertificateCode();
    expect(normaliseCertificateCode(code)).toBe(code);
    expect(normaliseCertificateCode(code.toLowerCase())).toBe(code);
    expect(normaliseCertificateCode(` ${code.replace(/-/g, ' ')} `)).toBe(code);
    expect(normaliseCertificateCode(code.replace(/-/g, ''))).toBe(code);
    expect(normaliseCertificateCode('')).toBeNull();
    expect(normaliseCertificateCode('ABCD-EFGH-JKMN-PQR')).toBeNull(); // 15 characters
    expect(normaliseCertificateCode('ABCD-EFGH-JKMN-PQR0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseCertificateCode("' or 1=1 --")).toBeNull();
    expect(normaliseCertificateCode('A'.repeat(1000))).toBeNull();
  });
});

const base: CertificatePdfInput = {
  organisation: 'Acme Academy',
  brandColor: '#4f46e5',
  recipientName: 'Ada Lovelace',
  title: 'Workplace Safety 101',
  kind: 'course',
  completedAt: new Date('2026-03-14T10:00:00Z'),
  code: 'ABCD-EFGH-JKMN-PQRS',
  verifyUrl: 'https://acme.lectern.app/verify/ABCD-EFGH-JKMN-PQRS',
};

describe('certificate PDF', () => {
  it('is a one-page PDF that pdf-lib reads back, with the learner, course, date, organisation, code and address on it', async () => {
    const pdf = await renderCertificatePdf(base);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getKeywords()).toContain('ABCD-EFGH-JKMN-PQRS');
    const text = await pdfText(pdf);
    for (const s of ['Acme Academy', 'Certificate of Completion', 'Ada Lovelace', 'Workplace Safety 101', '14 March 2026', 'Certificate code: ABCD-EFGH-JKMN-PQRS', 'https://acme.lectern.app/verify/ABCD-EFGH-JKMN-PQRS']) {
      expect(text).toContain(s);
    }
  });

  it('says "Program Certificate" for a program', async () => {
    const text = await pdfText(await renderCertificatePdf({ ...base, kind: 'program', title: 'New Starter Essentials' }));
    expect(text).toContain('Program Certificate');
    expect(text).toContain('New Starter Essentials');
  });

  it('draws PNG and JPEG logos and goes without a logo it cannot draw (WebP, SVG, a broken file)', async () => {
    const withPng = await PDFDocument.load(await renderCertificatePdf({ ...base, logo: { contentType: 'image/png', data: PNG_1x1 } }));
    const images = (doc: PDFDocument) => doc.context.enumerateIndirectObjects().filter(([, o]) => String((o as { dict?: { get: (k: unknown) => unknown } }).dict?.toString() ?? '').includes('/Subtype /Image')).length;
    expect(images(withPng)).toBeGreaterThan(0);
    // A 1×1 baseline JPEG (pdf-lib embeds JPEGs as they are, reading only their frame header).
    const jpeg = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
    expect(images(await PDFDocument.load(await renderCertificatePdf({ ...base, logo: { contentType: 'image/jpeg', data: jpeg } })))).toBe(1);
    for (const logo of [
      { contentType: 'image/webp', data: WEBP_1x1 },
      { contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') },
      { contentType: 'image/jpeg', data: JPEG_HEADER }, // a JPEG without image data
      { contentType: 'image/png', data: Buffer.from('not a png') },
    ]) {
      const pdf = await renderCertificatePdf({ ...base, logo });
      const doc = await PDFDocument.load(pdf);
      expect(images(doc), logo.contentType).toBe(0);
      expect(await pdfText(pdf)).toContain('Ada Lovelace');
    }
  });

  it('keeps going with names the standard fonts cannot draw, very long titles and an odd colour', async () => {
    const pdf = await renderCertificatePdf({
      ...base,
      brandColor: 'not-a-colour',
      organisation: 'Øresund Łódź 学院 '.repeat(6),
      recipientName: 'José Łukasz 王小明\u0000\n',
      title: `An extremely long course title ${'that goes on and on '.repeat(20)}`,
    });
    const text = await pdfText(pdf);
    expect(text).toContain('José'); // in Windows-1252
    expect(text).toContain('Lukasz'); // Ł is not: its plain letter
    expect(text).toContain('???'); // nor are Chinese characters (no embedded Unicode font)
    expect(text).not.toContain('\u0000');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });
});
