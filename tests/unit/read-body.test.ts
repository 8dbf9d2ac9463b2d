import { describe, expect, it } from 'vitest';
import { readBodyText } from '@/lib/http/body';

/** A request whose body arrives in chunks with no Content-Length (as a chunked upload does). */
function chunked(chunks: string[]): Request {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  return new Request('http://acme.localhost/x', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
}

describe('readBodyText', () => {
  it('reads a body within the limit, multi-byte characters across chunks intact', async () => {
    const text = await readBodyText(chunked(['email,Quiz\n', 'zoë@acme.test,', '7\n']), 1024);
    expect(text).toBe('email,Quiz\nzoë@acme.test,7\n');
  });

  it('refuses a chunked body as soon as it passes the limit, without a Content-Length', async () => {
    await expect(readBodyText(chunked(['a'.repeat(600), 'b'.repeat(600)]), 1000)).rejects.toMatchObject({ code: 'bodyTooLarge' });
  });

  it('refuses a declared Content-Length above the limit before reading', async () => {
    const req = new Request('http://acme.localhost/x', { method: 'POST', body: 'x', headers: { 'content-length': '5000000' } });
    await expect(readBodyText(req, 1000)).rejects.toMatchObject({ code: 'bodyTooLarge', params: { mb: 0 } });
  });
});
