import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

/** Sub-domains that are never organisations. */
export const RESERVED_SLUGS = new Set([
  'www', 'api', 'app', 'admin', 'mail', 'email', 'smtp', 'static', 'assets', 'cdn', 'img', 'images', 'media',
  'files', 'auth', 'login', 'signin', 'sign-in', 'signup', 'sign-up', 'account', 'accounts', 'billing', 'status',
  'help', 'support', 'docs', 'blog', 'dashboard', 'internal', 'dev', 'staging', 'test', 'demo-admin', 'root',
  'system', 'lectern', 'scim', 'webhooks', 'inngest', 'verify', 'ns1', 'ns2', 'ftp', 'localhost',
]);

export const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, v('slugTooShort'))
  .max(40, v('slugTooLong'))
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, v('slugCharacters'))
  .refine((s) => !s.includes('--'), v('slugDoubleHyphen'))
  .refine((s) => !RESERVED_SLUGS.has(s), v('slugReserved'));

export type HostKind =
  | { kind: 'root' }
  | { kind: 'tenant'; slug: string }
  | { kind: 'reserved'; label: string }
  | { kind: 'unknown' };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The host name without port, lower-cased; IPv6 literals keep their brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '');
}

/**
 * Map a Host header to the root domain or an organisation slug. Ports are ignored, IP hosts are
 * always the root, and only one label in front of the root domain can name an organisation.
 */
export function parseHost(host: string | null | undefined, rootDomain: string): HostKind {
  if (!host) return { kind: 'unknown' };
  const name = hostName(host);
  const root = hostName(rootDomain);
  if (IPV4.test(name) || name.startsWith('[')) return { kind: 'root' };
  if (name === root) return { kind: 'root' };
  if (!name.endsWith(`.${root}`)) return { kind: 'unknown' };
  const label = name.slice(0, -(root.length + 1));
  if (label.includes('.')) return { kind: 'unknown' };
  if (RESERVED_SLUGS.has(label)) return { kind: 'reserved', label };
  const parsed = SlugSchema.safeParse(label);
  return parsed.success ? { kind: 'tenant', slug: parsed.data } : { kind: 'unknown' };
}

/** The configured root domain, read without validating the rest of the environment (used by proxy.ts). */
export function rootDomain(): string {
  return (process.env.LECTERN_ROOT_DOMAIN || 'localhost:3000').toLowerCase();
}

/** proxy.ts passes the original path (before the tenant rewrite) to pages in this header. */
export const PATH_HEADER = 'x-lectern-path';
