import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from '@/lib/env';
import { logger } from '@/lib/log';

export type RateLimitState = { limit: number; remaining: number; resetSeconds: number };
export type RateLimitOutcome = { allowed: true; state: RateLimitState } | { allowed: false; state: RateLimitState; retryAfterSeconds: number };

type Limiters = { key: RateLimiterAbstract; ip: RateLimiterAbstract; perKey: number; perIp: number; redis: Redis | null };
let limiters: Limiters | undefined;

/**
 * Fixed one-minute windows per API key and per client IP. With REDIS_URL the counters live in Redis (shared
 * by every instance); if Redis is unreachable, in-process counters stand in rather than failing requests.
 * Each key has its own bucket, so one noisy key never uses up another organisation's allowance.
 */
function build(): Limiters {
  const e = env();
  const perKey = e.API_RATE_LIMIT_PER_KEY;
  const perIp = e.API_RATE_LIMIT_PER_IP;
  const memory = (points: number, keyPrefix: string) => new RateLimiterMemory({ points, duration: 60, keyPrefix });
  if (!e.REDIS_URL) return { key: memory(perKey, 'key'), ip: memory(perIp, 'ip'), perKey, perIp, redis: null };
  const redis = new Redis(e.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', (err: Error) => logger.warn({ err: { name: err.name, message: err.message } }, 'redis (rate limits) unavailable'));
  const redisLimiter = (points: number, keyPrefix: string) =>
    new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix: `lectern:rl:${keyPrefix}`, rejectIfRedisNotReady: true, insuranceLimiter: memory(points, keyPrefix) });
  return { key: redisLimiter(perKey, 'key'), ip: redisLimiter(perIp, 'ip'), perKey, perIp, redis };
}

function state(limit: number, res: RateLimiterRes): RateLimitState {
  return { limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

async function consume(which: 'key' | 'ip', id: string): Promise<RateLimitOutcome> {
  limiters ??= build();
  const limit = which === 'key' ? limiters.perKey : limiters.perIp;
  try {
    const res = await limiters[which].consume(id);
    return { allowed: true, state: state(limit, res) };
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const s = state(limit, e);
    return { allowed: false, state: s, retryAfterSeconds: s.resetSeconds };
  }
}

export const limitByKey = (keyId: string) => consume('key', keyId);
export const limitByIp = (ip: string) => consume('ip', ip);

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) for a response. */
export function rateLimitHeaders(s: RateLimitState): Record<string, string> {
  return { 'RateLimit-Limit': String(s.limit), 'RateLimit-Remaining': String(s.remaining), 'RateLimit-Reset': String(s.resetSeconds) };
}

/** For tests and shutdown: drop the limiters (and the Redis connection) so the next call rebuilds them. */
export async function resetRateLimiters(): Promise<void> {
  const current = limiters;
  limiters = undefined;
  // quit() is refused while not connected (no offline queue); disconnect() then stops the reconnecting.
  if (current?.redis) await current.redis.quit().catch(() => current.redis?.disconnect());
}
