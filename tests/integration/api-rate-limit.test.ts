/**
 * API rate limits: per key and per client IP (behind a trusted proxy), the RateLimit-* headers on every
 * response, 429 with Retry-After, one noisy key not touching anyone else's allowance, and the store:
 * Redis when REDIS_URL is set (CI runs this file once with it), in-process counters otherwise or when
 * Redis cannot be reached.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeDb } from '@/db/client';
import { parseApiKey } from '@/lib/api/keys';
import { limitByKey, resetRateLimiters } from '@/lib/api/rate-limit';
import { callApi, makeApiKey, type ApiResponse } from '../support/api';
import { makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// Before anything reads the configuration (env() is parsed once per process); restored for the next file.
const PER_KEY = 5;
const PER_IP = 8;
const saved = { API_RATE_LIMIT_PER_KEY: process.env.API_RATE_LIMIT_PER_KEY, API_RATE_LIMIT_PER_IP: process.env.API_RATE_LIMIT_PER_IP, TRUST_PROXY: process.env.TRUST_PROXY, REDIS_URL: process.env.REDIS_URL };
process.env.API_RATE_LIMIT_PER_KEY = String(PER_KEY);
process.env.API_RATE_LIMIT_PER_IP = String(PER_IP);
process.env.TRUST_PROXY = '1';
const redisUrl = process.env.REDIS_URL || null;

const owner = ownerSql();
afterAll(async () => {
  await resetRateLimiters();
  await owner.end();
  // This file's own pool: after vi.resetModules() below, the shared teardown would import a fresh client instead.
  await closeDb();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A documentation-range IPv6 address of its own per call: counters in Redis outlive a test run. */
const freshIp = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

async function keyIdOf(key: string): Promise<string> {
  const [row] = await owner<{ id: string }[]>`select id from api_keys where prefix = ${parseApiKey(key)!.prefix}`;
  return row!.id;
}

function limitHeaders(res: ApiResponse) {
  return {
    limit: Number(res.headers.get('ratelimit-limit')),
    remaining: Number(res.headers.get('ratelimit-remaining')),
    reset: Number(res.headers.get('ratelimit-reset')),
  };
}

function expectRateLimited(res: ApiResponse) {
  expect(res.status, res.text).toBe(429);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect((res.body as { type: string }).type).toBe('https://lectern.app/problems/rate-limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  expect(limitHeaders(res).remaining).toBe(0);
}

/**
 * Until its connection is up, a fresh limiter counts in process (so a request is never failed for it):
 * with Redis configured, wait until a probe's count lands in Redis before counting on it.
 */
async function limiterReady(): Promise<void> {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  try {
    const probe = `probe-${randomBytes(6).toString('hex')}`;
    for (let i = 0; i < 100; i++) {
      await limitByKey(probe);
      if (await redis.exists(`lectern:rl:key:${probe}`)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the rate limiter never wrote to ${redisUrl}`);
  } finally {
    redis.disconnect();
  }
}

let acme: Org;
let globex: Org;

beforeAll(async () => {
  await resetRateLimiters();
  await limiterReady();
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
});

describe('per API key', () => {
  it(`RateLimit headers on every response (success, 304 and problems); request ${PER_KEY + 1} in a minute is 429 with Retry-After`, async () => {
    const key = await makeApiKey(acme.owner, ['courses:read']);
    const first = await callApi('GET', '/api/v1/courses', { key });
    const responses = [
      first,
      await callApi('GET', '/api/v1/courses', { key, headers: { 'if-none-match': first.headers.get('etag')! } }),
      await callApi('GET', '/api/v1/courses/sis:NOPE', { key }),
      await callApi('GET', '/api/v1/courses?limit=201', { key }),
      await callApi('GET', '/api/v1/members', { key }), // a scope the key lacks still counts
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 304, 404, 400, 403]);
    responses.forEach((r, i) => {
      const h = limitHeaders(r);
      expect(h, `response ${i + 1}`).toMatchObject({ limit: PER_KEY, remaining: PER_KEY - 1 - i });
      expect(h.reset).toBeGreaterThanOrEqual(1);
      expect(h.reset).toBeLessThanOrEqual(60);
    });
    const limited = await callApi('GET', '/api/v1/courses', { key });
    expectRateLimited(limited);
    expect(limitHeaders(limited).limit).toBe(PER_KEY);
    expect(Number(limited.headers.get('retry-after'))).toBe(limitHeaders(limited).reset);
    expectRateLimited(await callApi('GET', '/api/v1/courses', { key }));
  });

  it('one noisy key does not slow other tenants, nor another key of its own organisation', async () => {
    const noisy = await makeApiKey(acme.owner, ['courses:read'], { name: 'noisy' });
    const sameOrg = await makeApiKey(acme.owner, ['courses:read'], { name: 'quiet' });
    const otherOrg = await makeApiKey(globex.owner, ['courses:read']);
    for (let i = 0; i < PER_KEY; i++) expect((await callApi('GET', '/api/v1/courses', { key: noisy })).status).toBe(200);
    expectRateLimited(await callApi('GET', '/api/v1/courses', { key: noisy }));
    for (const quiet of [otherOrg, sameOrg]) {
      const res = await callApi('GET', '/api/v1/courses', { key: quiet });
      expect(res.status).toBe(200);
      expect(limitHeaders(res)).toMatchObject({ limit: PER_KEY, remaining: PER_KEY - 1 });
    }
  });

  it(redisUrl ? 'counts in Redis (lectern:rl:key:<id>), so a restarted instance still limits the key' : 'counts in process without REDIS_URL, so a restart starts the count again', async () => {
    const key = await makeApiKey(acme.owner, ['courses:read']);
    for (let i = 0; i < PER_KEY; i++) await callApi('GET', '/api/v1/courses', { key });
    expectRateLimited(await callApi('GET', '/api/v1/courses', { key }));
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      try {
        const name = `lectern:rl:key:${await keyIdOf(key)}`;
        expect(Number(await redis.get(name))).toBeGreaterThanOrEqual(PER_KEY + 1);
        const ttl = await redis.pttl(name);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      } finally {
        redis.disconnect();
      }
    }
    await resetRateLimiters(); // as a new instance would start
    await limiterReady();
    const after = await callApi('GET', '/api/v1/courses', { key });
    if (redisUrl) expectRateLimited(after);
    else expect(limitHeaders(after)).toMatchObject({ limit: PER_KEY, remaining: PER_KEY - 1 });
  });
});

describe('per client IP (behind a trusted proxy)', () => {
  it(`an address gets ${PER_IP} requests a minute whatever the keys, counting refused ones; other addresses and direct calls are unaffected`, async () => {
    const ip = freshIp();
    const via = (addr: string) => ({ 'x-forwarded-for': `${addr}, 10.0.0.1` });
    // Guessing keys from one address counts against it.
    for (let i = 0; i < PER_IP - 1; i++) {
      const res = await callApi('GET', '/api/v1/courses', { headers: { ...via(ip), authorization: `Bearer lk_acme_${randomBytes(20).toString('hex')}` } });
      expect(res.status).toBe(401);
      expect(limitHeaders(res)).toMatchObject({ limit: PER_IP, remaining: PER_IP - 1 - i });
    }
    const last = await callApi('GET', '/api/v1/courses', { key: await makeApiKey(acme.owner, ['courses:read']), headers: via(ip) });
    expect(last.status).toBe(200);
    const fresh = await makeApiKey(globex.owner, ['courses:read']);
    const limited = await callApi('GET', '/api/v1/courses', { key: fresh, headers: via(ip) });
    expectRateLimited(limited);
    expect(limitHeaders(limited).limit).toBe(PER_IP);
    expect((await callApi('GET', '/api/v1/courses', { key: fresh, headers: via(freshIp()) })).status).toBe(200);
    expect((await callApi('GET', '/api/v1/courses', { key: fresh })).status).toBe(200);
    // Only the first address of the chain is the client: a proxy hop in common does not share the bucket.
    expect((await callApi('GET', '/api/v1/courses', { key: fresh, headers: { 'x-forwarded-for': `${freshIp()}, ${ip}` } })).status).toBe(200);
  });
});

describe('Redis unreachable', () => {
  it('requests still succeed, limited by in-process counters; resetting the limiters stops the reconnecting', async () => {
    // Something that hangs up on every connection stands in for a Redis that is down; it counts the attempts.
    let attempts = 0;
    const down = net.createServer((socket) => {
      attempts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    // A fresh module graph reads a configuration with that Redis.
    process.env.REDIS_URL = `redis://127.0.0.1:${(down.address() as net.AddressInfo).port}`;
    vi.resetModules();
    const api = await import('../support/api');
    const limiter = await import('@/lib/api/rate-limit');
    const db = await import('@/db/client');
    try {
      const key = await makeApiKey(acme.owner, ['courses:read']);
      for (let i = 0; i < PER_KEY; i++) {
        const res = await api.callApi('GET', '/api/v1/courses', { key });
        expect(res.status, res.text).toBe(200);
        expect(limitHeaders(res)).toMatchObject({ limit: PER_KEY, remaining: PER_KEY - 1 - i });
      }
      expectRateLimited(await api.callApi('GET', '/api/v1/courses', { key }));
      await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(2), { timeout: 5000 });
      await limiter.resetRateLimiters();
      const after = attempts;
      await new Promise((r) => setTimeout(r, 2500)); // longer than ioredis's longest pause between retries
      expect(attempts, 'connection attempts after resetRateLimiters()').toBe(after);
    } finally {
      await limiter.resetRateLimiters();
      await db.closeDb();
      await new Promise((r) => down.close(r));
      if (redisUrl) process.env.REDIS_URL = redisUrl;
      else delete process.env.REDIS_URL;
    }
  });
});
