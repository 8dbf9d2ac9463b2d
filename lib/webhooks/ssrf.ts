import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { env } from '@/lib/env';

/** Why a URL may not be called. */
export type SsrfReason = 'invalid' | 'protocol' | 'credentials' | 'localhost' | 'private' | 'unresolvable';

/** A URL Lectern will not send to: the reason, and the address or host that decided it (for messages and logs). */
export class SsrfError extends Error {
  constructor(
    readonly reason: SsrfReason,
    readonly subject: string,
  ) {
    super(`refused by the SSRF guard: ${describe(reason, subject)}`);
    this.name = 'SsrfError';
  }
}

function describe(reason: SsrfReason, subject: string): string {
  switch (reason) {
    case 'invalid':
      return 'not a valid URL';
    case 'protocol':
      return `${subject} is not allowed (use https)`;
    case 'credentials':
      return 'the URL contains a user name or password';
    case 'localhost':
      return `${subject} is a local host name`;
    case 'private':
      return `the host resolves to ${subject}, which is not a public address`;
    case 'unresolvable':
      return `${subject} does not resolve`;
  }
}

/** A vetted destination: the URL, and the one address the request must connect to. */
export type VettedUrl = { url: URL; address: string; family: 4 | 6 };

/** Ranges the development allowance opens (WEBHOOKS_ALLOW_PRIVATE=1); never multicast, broadcast or unspecified. */
const DEV_RANGES = new Set(['loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);

/** The IPv4 form of an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), so it is judged as what it reaches. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/**
 * Whether an address may be called. Allow-list: only what ipaddr.js calls ordinary `unicast` is public —
 * loopback, private, link-local, CGNAT, unique-local, documentation, 6to4/Teredo/NAT64 and the rest are not.
 */
export function isAllowedAddress(address: string, allowPrivate = false): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = normalise(address).range();
  return range === 'unicast' || (allowPrivate && DEV_RANGES.has(range));
}

export function privateAddressesAllowed(): boolean {
  return env().WEBHOOKS_ALLOW_PRIVATE;
}

/** Parse and check the shape of a URL (no DNS): https (http only with the allowance), no credentials, no local names. */
export function checkUrlShape(raw: string, allowPrivate = privateAddressesAllowed()): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfError('invalid', raw);
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new SsrfError('protocol', url.protocol.replace(/:$/, ''));
  if (url.username || url.password) throw new SsrfError('credentials', url.host);
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (!host) throw new SsrfError('invalid', raw);
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) throw new SsrfError('localhost', host);
  return url;
}

/**
 * The checks every outbound URL passes, at registration and before every delivery: shape (see
 * checkUrlShape), then every address the host resolves to must be public (one private answer refuses the
 * whole name: a split answer is how rebinding attacks start). Returns the address to connect to — the
 * caller must connect to it (see vettedLookup), not resolve the name again.
 */
export async function assertPublicUrl(raw: string, opts: { allowPrivate?: boolean } = {}): Promise<VettedUrl> {
  const allowPrivate = opts.allowPrivate ?? privateAddressesAllowed();
  const url = checkUrlShape(raw, allowPrivate);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let answers: dns.LookupAddress[];
  if (ipaddr.isValid(host)) {
    answers = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      // Looked up through the dns.promises object at call time, so tests can stand in for the resolver.
      answers = await dns.promises.lookup(host, { all: true, verbatim: true });
    } catch {
      throw new SsrfError('unresolvable', host);
    }
  }
  if (!answers.length) throw new SsrfError('unresolvable', host);
  for (const a of answers) {
    if (!isAllowedAddress(a.address, allowPrivate)) throw new SsrfError('private', a.address);
  }
  const first = answers[0]!;
  return { url, address: normalise(first.address).toString(), family: normalise(first.address).kind() === 'ipv4' ? 4 : 6 };
}

/**
 * A `lookup` for node:http(s) that answers with the vetted address whatever name it is asked for, so the
 * connection goes where the guard looked (no second resolution for a rebinding DNS server to answer).
 */
export function vettedLookup(vetted: Pick<VettedUrl, 'address' | 'family'>): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: dns.LookupAddress[]) => void)(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
}
