import type { Disposition } from './signed-url';
import type { ObjectStore } from './store';

export type ByteRange = { start: number; end: number };

/**
 * Parse a single HTTP Range header against a size: the range, null for none or an unsupported form
 * (serve the whole file), or 'unsatisfiable' (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

function contentDisposition(disposition: Disposition, filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename || 'file')}`;
}

/**
 * Serve an immutable (content-addressed) object: ETag and 304, `Cache-Control: immutable`, Range for
 * video seeking, Content-Disposition and nosniff.
 */
export async function serveObject(
  store: ObjectStore,
  key: string,
  opts: { etag: string; disposition: Disposition; filename: string; rangeHeader: string | null; ifNoneMatch: string | null; method?: 'GET' | 'HEAD' },
): Promise<Response> {
  const info = await store.head(key);
  if (!info) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const etag = `"${opts.etag}"`;
  const headers = new Headers({
    'content-type': info.contentType,
    etag,
    'cache-control': 'private, max-age=31536000, immutable',
    'accept-ranges': 'bytes',
    'content-disposition': contentDisposition(opts.disposition, opts.filename),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  });
  if (opts.ifNoneMatch && opts.ifNoneMatch.split(',').some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers });
  const range = parseRange(opts.rangeHeader, info.size);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${info.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  if (opts.method === 'HEAD') {
    // The headers a GET would send, without reading the object.
    headers.set('content-length', String(range ? range.end - range.start + 1 : info.size));
    return new Response(null, { status: range ? 206 : 200, headers });
  }
  // Streamed: a browser's `Range: bytes=0-` on a 200 MB video must not load it into memory.
  const body = await store.stream(key, range ?? undefined);
  if (!body) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  headers.set('content-length', String(range ? range.end - range.start + 1 : info.size));
  return new Response(body, { status: range ? 206 : 200, headers });
}
