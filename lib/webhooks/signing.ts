import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of random
 * bytes; the signature is `v1,` + base64(HMAC-SHA256(secret bytes, "<webhook-id>.<webhook-timestamp>.<body>")).
 */
export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('webhook secret without whsec_ prefix');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** The `webhook-signature` value for one message. `timestamp` is in whole seconds since the epoch. */
export function sign(secret: string, msgId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one attempt (the timestamp is the attempt's own time). */
export function signedHeaders(secret: string, msgId: string, body: string, at: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, msgId, timestamp, body) };
}

// Secrets at rest: AES-256-GCM with a key derived from AUTH_SECRET (HKDF-SHA256, its own label), bound to the
// endpoint's row (associated data), so a copied ciphertext does not decrypt as another endpoint's secret.
const KEY_LABEL = 'lectern/webhook-endpoint-secret/v1';
let cachedKey: { from: string; key: Buffer } | undefined;

function encryptionKey(): Buffer {
  const secret = env().AUTH_SECRET;
  if (cachedKey?.from !== secret) cachedKey = { from: secret, key: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_LABEL, 32)) };
  return cachedKey.key;
}

const aad = (tenantId: string, endpointId: string) => Buffer.from(`${tenantId}:${endpointId}`);

/** base64(iv ‖ tag ‖ ciphertext). */
export function encryptSecret(secret: string, tenantId: string, endpointId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(), iv);
  cipher.setAAD(aad(tenantId, endpointId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Throws when the value was tampered with, belongs to another endpoint, or AUTH_SECRET has changed. */
export function decryptSecret(stored: string, tenantId: string, endpointId: string): string {
  const raw = Buffer.from(stored, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), raw.subarray(0, 12));
  decipher.setAAD(aad(tenantId, endpointId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
