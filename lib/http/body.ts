import { ValidationError } from '@/lib/errors';

/** Read a request body as text, refusing it as soon as it passes `maxBytes` (whatever Content-Length says). */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new ValidationError('bodyTooLarge', { params: { mb: Math.round((maxBytes / 1024 / 1024) * 10) / 10 } });
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
