import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret and the hash we store (tokens are high-entropy, so SHA-256 suffices). */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
