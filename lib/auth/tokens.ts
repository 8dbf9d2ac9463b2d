import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe secret and the hash we store (tokens are high-entropy, so SHA-256 suffices). */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Bearer secrets that name their organisation: `<tag>_<org slug>_<random>` (API keys `lk_…`, SCIM tokens
 * `scim_…`). The slug finds the organisation (a global lookup); the visible prefix (`lk_acme_1a2b3c4d`) names
 * the secret in lists and logs and finds its row inside the organisation's transaction; only the SHA-256 of
 * the whole secret is kept, compared in constant time.
 */
export type OrgSecretKind = { tag: string; secret: RegExp; generate: () => string };

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PREFIX_CHARS = 8;
const SLUG = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/** 160 random bits as 40 hex characters. */
export const API_KEY_KIND: OrgSecretKind = { tag: 'lk', secret: /[0-9a-f]{40}/, generate: () => randomBytes(20).toString('hex') };
/** ~190 random bits as 32 base62 characters. */
export const SCIM_TOKEN_KIND: OrgSecretKind = {
  tag: 'scim',
  secret: /[A-Za-z0-9]{32}/,
  generate: () => Array.from({ length: 32 }, () => BASE62[randomInt(BASE62.length)]).join(''),
};

export function newOrgSecret(kind: OrgSecretKind, slug: string): { secret: string; prefix: string; hash: string } {
  const random = kind.generate();
  const secret = `${kind.tag}_${slug}_${random}`;
  return { secret, prefix: `${kind.tag}_${slug}_${random.slice(0, PREFIX_CHARS)}`, hash: hashToken(secret) };
}

/** The organisation slug and visible prefix of a well-formed secret of this kind, or null for anything else. */
export function parseOrgSecret(kind: OrgSecretKind, raw: string): { slug: string; prefix: string } | null {
  const m = new RegExp(`^${kind.tag}_(${SLUG})_(${kind.secret.source})$`).exec(raw);
  return m ? { slug: m[1]!, prefix: `${kind.tag}_${m[1]}_${m[2]!.slice(0, PREFIX_CHARS)}` } : null;
}

/** Whether `raw` is the secret whose SHA-256 (hex) was kept, in constant time. */
export function matchesHash(raw: string, keptHex: string): boolean {
  const given = Buffer.from(hashToken(raw), 'hex');
  const kept = Buffer.from(keptHex, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}
