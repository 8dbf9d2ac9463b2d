import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fileUrl, fileUrlExpiry, inlineFor } from '@/lib/files/urls';
import { verifyFileUrl } from '@/lib/storage/signed-url';

const SECRET = 'unit-test-secret-for-file-urls-0123456789';
const tenant = { id: '5b1e2c8a-3f4d-4e5a-9b6c-7d8e9f0a1b2c' };
const other = { id: '0e6b5a4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c' };
const key = `t/${tenant.id}/ab/${'ab'.repeat(32)}.pdf`;

beforeAll(() => {
  vi.stubEnv('DATABASE_URL', 'postgres://lectern@127.0.0.1:5432/lectern');
  vi.stubEnv('APP_DATABASE_URL', 'postgres://lectern_app:x@127.0.0.1:5432/lectern');
  vi.stubEnv('AUTH_SECRET', SECRET);
});

function parse(url: string) {
  const u = new URL(url, 'http://acme.localhost:3000');
  return { path: u.pathname, key: decodeURIComponent(u.pathname.replace(/^\/files\//, '')), query: u.searchParams };
}

const at = (iso: string) => Date.parse(iso);

describe('fileUrl', () => {
  it('is a /files path for the key that the file route accepts with the app secret', () => {
    const url = fileUrl(tenant, key, { filename: 'Week 1 — notes.pdf', disposition: 'inline', now: at('2030-05-01T10:15:00Z') });
    const { path, key: k, query } = parse(url);
    expect(path).toBe(`/files/${key}`);
    const verified = verifyFileUrl(SECRET, k, query, at('2030-05-01T10:16:00Z') / 1000);
    expect(verified).toEqual({ ok: true, request: { key, expires: at('2030-05-01T12:00:00Z') / 1000, disposition: 'inline', filename: 'Week 1 — notes.pdf' } });
    expect(verifyFileUrl('another-secret-another-secret-0123456', k, query, at('2030-05-01T10:16:00Z') / 1000)).toMatchObject({ ok: false, status: 403 });
  });

  it('gives the same URL for every render in one clock hour, and a fresh one the next hour', () => {
    const opts = { filename: 'a.pdf', disposition: 'inline' as const };
    const early = fileUrl(tenant, key, { ...opts, now: at('2030-05-01T10:00:00Z') });
    const late = fileUrl(tenant, key, { ...opts, now: at('2030-05-01T10:59:59.999Z') });
    const next = fileUrl(tenant, key, { ...opts, now: at('2030-05-01T11:00:00Z') });
    expect(late).toBe(early);
    expect(next).not.toBe(early);
    expect(parse(next).query.get('exp')).toBe(String(at('2030-05-01T13:00:00Z') / 1000));
  });

  it('stays valid for at least one hour and at most two, whenever it is made', () => {
    for (const now of [at('2030-05-01T10:00:00Z'), at('2030-05-01T10:30:00Z'), at('2030-05-01T10:59:59Z')]) {
      const left = fileUrlExpiry(now) - now / 1000;
      expect(left).toBeGreaterThan(3600);
      expect(left).toBeLessThanOrEqual(7200);
    }
  });

  it('expires: the same URL is refused with 410 once its hour is over', () => {
    const { key: k, query } = parse(fileUrl(tenant, key, { filename: 'a.pdf', disposition: 'attachment', now: at('2030-05-01T10:15:00Z') }));
    expect(verifyFileUrl(SECRET, k, query, at('2030-05-01T12:00:01Z') / 1000)).toEqual({ ok: false, status: 410, reason: 'expired' });
  });

  it('signs the disposition and file name, so neither can be changed in the URL', () => {
    const { key: k, query } = parse(fileUrl(tenant, key, { filename: 'report.pdf', disposition: 'attachment', now: at('2030-05-01T10:15:00Z') }));
    const now = at('2030-05-01T10:20:00Z') / 1000;
    for (const [name, value] of [['d', 'inline'], ['name', 'evil.html']] as const) {
      const q = new URLSearchParams(query);
      q.set(name, value);
      expect(verifyFileUrl(SECRET, k, q, now), name).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('refuses to sign another organisation’s key', () => {
    expect(() => fileUrl(other, key, { filename: 'a.pdf', disposition: 'inline' })).toThrow(/not a file of organisation/);
  });
});

describe('inlineFor', () => {
  it('shows PDFs, images and videos in the browser and downloads everything else', () => {
    for (const t of ['application/pdf', 'image/png', 'image/jpeg', 'video/mp4', 'video/webm', 'Video/WebM']) expect(inlineFor(t), t).toBe('inline');
    for (const t of ['text/plain; charset=utf-8', 'text/csv; charset=utf-8', 'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/html', 'application/octet-stream']) {
      expect(inlineFor(t), t).toBe('attachment');
    }
  });
});
