import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAfter, RETRY_DELAYS_MS } from '@/lib/webhooks/delivery';
import { decryptSecret, encryptSecret, newSecret, sign, signedHeaders } from '@/lib/webhooks/signing';
import { checkUrlShape, isAllowedAddress, SsrfError } from '@/lib/webhooks/ssrf';

beforeAll(() => {
  vi.stubEnv('DATABASE_URL', 'postgres://lectern@127.0.0.1:5432/lectern');
  vi.stubEnv('APP_DATABASE_URL', 'postgres://lectern_app:x@127.0.0.1:5432/lectern');
  vi.stubEnv('AUTH_SECRET', 'unit-test-secret-for-webhooks-0123456789');
});

describe('SSRF address rules', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'unique local'],
    ['fdff:ffff::1', 'unique local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:192.168.1.1', 'IPv4-mapped private'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
  ])('refuses %s (%s)', (address) => {
    expect(isAllowedAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('allows the public address %s', (address) => {
    expect(isAllowedAddress(address)).toBe(true);
  });

  it('the development allowance opens loopback, private, link-local, unique-local and CGNAT, never multicast or unspecified', () => {
    for (const a of ['127.0.0.1', '10.1.1.1', '169.254.1.1', 'fd00::1', '100.64.0.1', '::ffff:127.0.0.1', '::1']) expect(isAllowedAddress(a, true), a).toBe(true);
    for (const a of ['0.0.0.0', '224.0.0.1', 'ff02::1', '255.255.255.255']) expect(isAllowedAddress(a, true), a).toBe(false);
  });

  it('checks the shape of a URL: https, no credentials, no local names', () => {
    const reason = (url: string, allow = false) => {
      try {
        checkUrlShape(url, allow);
        return 'ok';
      } catch (e) {
        return (e as SsrfError).reason;
      }
    };
    expect(reason('https://hooks.example.com/x')).toBe('ok');
    expect(reason('http://hooks.example.com/x')).toBe('protocol');
    expect(reason('http://hooks.example.com/x', true)).toBe('ok');
    expect(reason('file:///etc/passwd', true)).toBe('protocol');
    expect(reason('https://a:b@hooks.example.com/')).toBe('credentials');
    expect(reason('https://LOCALHOST./')).toBe('localhost');
    expect(reason('https://x.localhost/')).toBe('localhost');
    expect(reason('https://x.localhost/', true)).toBe('ok');
    expect(reason('::::')).toBe('invalid');
  });
});

describe('Standard Webhooks signing', () => {
  it('makes whsec_ secrets of 32 random bytes', () => {
    const a = newSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newSecret()).not.toBe(a);
  });

  it('signs exactly as the official library does, and its verifier accepts the headers', () => {
    const secret = newSecret();
    const body = JSON.stringify({ type: 'course.completed', timestamp: '2030-01-01T00:00:00.000Z', data: { name: 'Zoë — “quoted”' } });
    expect(sign(secret, 'msg_1', 1_900_000_000, body)).toBe(new Webhook(secret).sign('msg_1', new Date(1_900_000_000_000), body));
    const headers = signedHeaders(secret, 'msg_2', body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'course.completed' });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });

  it('keeps secrets encrypted, bound to their organisation and endpoint', () => {
    const secret = newSecret();
    const stored = encryptSecret(secret, 'tenant-a', 'endpoint-1');
    expect(stored).not.toContain(secret.slice(6, 30));
    expect(encryptSecret(secret, 'tenant-a', 'endpoint-1')).not.toBe(stored); // a fresh IV each time
    expect(decryptSecret(stored, 'tenant-a', 'endpoint-1')).toBe(secret);
    expect(() => decryptSecret(stored, 'tenant-b', 'endpoint-1')).toThrow();
    expect(() => decryptSecret(stored, 'tenant-a', 'endpoint-2')).toThrow();
    const tampered = Buffer.from(stored, 'base64');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decryptSecret(tampered.toString('base64'), 'tenant-a', 'endpoint-1')).toThrow();
  });
});

describe('retry schedule', () => {
  it('retries seven times over about 27.6 hours, then stops', () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    let at = t0;
    const gaps: number[] = [];
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts += 1) {
      const next = nextAttemptAfter(attempts, at)!;
      gaps.push(next.getTime() - at.getTime());
      at = next;
    }
    expect(gaps).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(gaps).toEqual([...RETRY_DELAYS_MS]);
    expect(at.getTime() - t0.getTime()).toBeGreaterThan(24 * 3600_000);
    expect(nextAttemptAfter(MAX_ATTEMPTS, at)).toBeNull();
  });
});
