import http from 'node:http';
import https from 'node:https';
import { assertPublicUrl, SsrfError, vettedLookup } from './ssrf';
import { signedHeaders } from './signing';

/** Each request gets this long, connection to last byte of the (bounded) response. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** How much of a refusing endpoint's response body is kept for the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export type AttemptOutcome = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

export type OutgoingMessage = { url: string; secret: string; msgId: string; body: string };

/** A network error as one line an admin can act on, never a stack. */
function networkError(e: unknown): string {
  if (e instanceof SsrfError) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError') return `no response within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = typeof err?.code === 'string' ? err.code : null;
  const text = err instanceof Error ? err.message : String(e);
  return (code && !text.includes(code) ? `${code}: ${text}` : text).slice(0, 300);
}

/**
 * POST one signed message. The URL is re-checked by the SSRF guard first and the socket connects to the
 * address the guard vetted. Redirects are not followed (a 3xx is a failure): the endpoint must answer 2xx.
 * Never throws: every failure is an outcome for the delivery log.
 */
export async function postSigned(message: OutgoingMessage): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (o: Omit<AttemptOutcome, 'durationMs'>): AttemptOutcome => ({ ...o, durationMs: Math.round(performance.now() - started) });
  try {
    const vetted = await assertPublicUrl(message.url);
    const body = Buffer.from(message.body, 'utf8');
    const headers = {
      ...signedHeaders(message.secret, message.msgId, message.body),
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': 'Lectern-Webhooks/1.0',
    };
    const transport = vetted.url.protocol === 'https:' ? https : http;
    const { statusCode, excerpt } = await new Promise<{ statusCode: number; excerpt: string }>((resolve, reject) => {
      const req = transport.request(
        vetted.url,
        { method: 'POST', headers, agent: false, lookup: vettedLookup(vetted), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            // Nothing of a success is kept: a slow or endless body cannot hold the attempt up.
            res.destroy();
            resolve({ statusCode: status, excerpt: '' });
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () => resolve({ statusCode: status, excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8') });
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= RESPONSE_EXCERPT_BYTES) {
              res.destroy();
              finish();
            }
          });
          res.on('end', finish);
          res.on('error', finish);
          res.on('close', finish); // cut off by the timeout: what arrived is kept
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    if (statusCode >= 200 && statusCode < 300) return done({ ok: true, statusCode, error: null });
    // A multi-byte character cut at the 1 KB mark decodes as U+FFFD; the excerpt stays within bounds.
    const text = excerpt.replace(/\s+/g, ' ').trim();
    return done({ ok: false, statusCode, error: `HTTP ${statusCode}${text ? `: ${text}` : ''}` });
  } catch (e) {
    return done({ ok: false, statusCode: null, error: networkError(e) });
  }
}
