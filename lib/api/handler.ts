import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schema, withTenantSlug, type Tx } from '@/db/client';
import { BillingLimitError } from '@/lib/billing/entitlements';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { env } from '@/lib/env';
import { logger, REQUEST_ID_HEADER } from '@/lib/log';
import { rootDomain } from '@/lib/tenancy/host';
import type { Endpoint } from './endpoint';
import { authenticateApiKey, parseApiKey } from './keys';
import { ApiProblem } from './problem';
import { limitByIp, limitByKey, rateLimitHeaders, type RateLimitState } from './rate-limit';

const MAX_BODY_BYTES = 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
// An endpoint without query parameters refuses any, like the others refuse unknown ones (400, as documented).
const NO_QUERY = z.strictObject({});

type RouteContext = { params: Promise<Record<string, string | string[]>> };

function problemResponse(p: ApiProblem, requestId: string | undefined, instance: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p.toJSON(requestId, instance)), {
    status: p.status,
    // Every 401 names the scheme (RFC 9110 §15.5.2); the missing-key problem sets its own.
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...(p.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="lectern", error="invalid_token"' } : {}), ...headers, ...p.extra.headers },
  });
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}` : i.message,
  }));
}

/** Domain errors from the services, as problem documents. */
function problemFromDomain(e: DomainError): ApiProblem {
  if (e instanceof BillingLimitError) return new ApiProblem('plan-limit', e.message);
  if (e instanceof NotFoundError) return new ApiProblem('not-found', e.message);
  if (e instanceof ForbiddenError) return new ApiProblem('forbidden', e.message);
  if (e instanceof ConflictError) return new ApiProblem('conflict', e.message);
  if (e.status === 422 || e.status === 400) return new ApiProblem('validation-failed', e.message, e.field ? { errors: [{ path: e.field, message: e.message }] } : {});
  return new ApiProblem('conflict', e.message);
}

function clientIp(req: Request): string | null {
  // Only a trusted proxy's X-Forwarded-For is an address; without one there is no client IP to key on.
  if (!env().TRUST_PROXY) return null;
  return req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
}

/** The URL the integrator called (the Host they used), for Link headers. */
function publicUrl(req: Request): URL {
  const url = new URL(req.url);
  const host = req.headers.get('host') ?? rootDomain();
  return new URL(`${url.pathname}${url.search}`, `${env().LECTERN_PROTOCOL}://${host}`);
}

async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ApiProblem('unsupported-media-type', 'Send the body as JSON with `Content-Type: application/json`.');
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw new ApiProblem('payload-too-large', `The body may be at most ${MAX_BODY_BYTES} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ApiProblem('payload-too-large', `The body may be at most ${MAX_BODY_BYTES} bytes.`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiProblem('malformed-json', `The body is not valid JSON: ${e instanceof Error ? e.message : 'parse error'}.`);
  }
}

function parseWith<T extends z.ZodType>(schema: T | undefined, value: unknown, kind: 'query' | 'body' | 'params'): z.infer<T> {
  if (!schema) return {} as z.infer<T>;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  if (kind === 'params') throw new ApiProblem('not-found', 'No such resource.');
  const errors = issuesOf(parsed.error);
  throw kind === 'query'
    ? new ApiProblem('invalid-query', `Invalid query string: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, { errors })
    : new ApiProblem('validation-failed', `Invalid request body: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, { errors });
}

type Stored = { status: number; body: string; headers: Record<string, string> };

/**
 * Idempotency-Key (POST): same key and same request within 24 h → the stored response; same key, other
 * request → 422. A per-key advisory lock makes a concurrent twin wait and then read the stored answer.
 */
async function idempotent(tx: Tx, tenantId: string, apiKeyId: string, key: string, requestHash: string, method: string, path: string, run: () => Promise<Stored>): Promise<Stored & { replayed: boolean }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lectern:idem:${tenantId}:${apiKeyId}:${key}`}, 0))`);
  const [row] = await tx
    .select()
    .from(schema.idempotencyKeys)
    .where(and(eq(schema.idempotencyKeys.apiKeyId, apiKeyId), eq(schema.idempotencyKeys.key, key)));
  const fresh = row && Date.now() - row.createdAt.getTime() < IDEMPOTENCY_TTL_MS;
  if (fresh) {
    if (row.requestHash !== requestHash) {
      throw new ApiProblem('idempotency-key-reused', `Idempotency-Key "${key}" was first used for a different request (${row.method} ${row.path} with another body). Use a new key for a new request.`);
    }
    return { status: row.status, body: row.responseBody, headers: row.responseHeaders, replayed: true };
  }
  if (row) await tx.delete(schema.idempotencyKeys).where(and(eq(schema.idempotencyKeys.apiKeyId, apiKeyId), eq(schema.idempotencyKeys.key, key)));
  const result = await run();
  if (result.status < 300) {
    await tx.insert(schema.idempotencyKeys).values({ tenantId, apiKeyId, key, method, path, requestHash, status: result.status, responseBody: result.body, responseHeaders: result.headers });
  }
  return { ...result, replayed: false };
}

/** Sweep: delete stored responses older than 24 hours (index on (tenant_id, created_at)). */
export async function expireIdempotencyKeys(tx: Tx, tenantId: string, now: Date): Promise<number> {
  const gone = await tx
    .delete(schema.idempotencyKeys)
    .where(and(eq(schema.idempotencyKeys.tenantId, tenantId), lt(schema.idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))))
    .returning({ key: schema.idempotencyKeys.key });
  return gone.length;
}

function etagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

function ifNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((t) => t.trim() === '*' || t.trim() === etag || t.trim() === etag.slice(2));
}

/**
 * The one wrapper for /api/v1: request id → per-IP limit → API key (the organisation comes from it) →
 * per-key limit → scope → path, query and body validated by the endpoint's zod schemas (unknown fields
 * refused) → Idempotency-Key → the handler in the organisation's transaction → ETag / If-None-Match →
 * problem+json for every failure. The key's member is the actor, so services apply the same rules as the UI.
 */
export function apiHandler(ep: Endpoint) {
  return async (req: Request, route: RouteContext): Promise<Response> => {
    const requestId = req.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
    const url = publicUrl(req);
    const instance = url.pathname;
    const log = logger.child({ reqId: requestId, api: ep.operationId });
    let limitState: RateLimitState | null = null;
    const headersWithLimit = (h: Record<string, string> = {}) => ({ [REQUEST_ID_HEADER]: requestId, ...(limitState ? rateLimitHeaders(limitState) : {}), ...h });
    try {
      const ip = clientIp(req);
      if (ip) {
        const byIp = await limitByIp(ip);
        limitState = byIp.state;
        if (!byIp.allowed) throw new ApiProblem('rate-limited', `Too many requests from this address; retry in ${byIp.retryAfterSeconds} s.`, { headers: { 'Retry-After': String(byIp.retryAfterSeconds) } });
      }
      const auth = req.headers.get('authorization') ?? '';
      const raw = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
      const parsedKey = parseApiKey(raw);
      if (!parsedKey) throw new ApiProblem('unauthorized', 'Send an API key as `Authorization: Bearer lk_…`. Admins create keys under Admin → API keys.', { headers: { 'WWW-Authenticate': 'Bearer realm="lectern"' } });

      const outcome = await withTenantSlug(parsedKey.slug, async (tx, tenant) => {
        const authn = await authenticateApiKey(tx, tenant, raw);
        if (!authn.ok) {
          const type = authn.reason === 'expired' ? 'key-expired' : authn.reason === 'revoked' ? 'key-revoked' : 'unauthorized';
          throw new ApiProblem(type, authn.reason === 'unknown' ? 'This API key is not valid.' : `This API key has been ${authn.reason}. Ask an admin for a new one.`);
        }
        const byKey = await limitByKey(authn.key.id);
        limitState = byKey.state;
        if (!byKey.allowed) throw new ApiProblem('rate-limited', `This API key made too many requests; retry in ${byKey.retryAfterSeconds} s.`, { headers: { 'Retry-After': String(byKey.retryAfterSeconds) } });
        if (!authn.key.scopes.includes(ep.scope)) throw new ApiProblem('insufficient-scope', `This request needs the \`${ep.scope}\` scope; the key has: ${authn.key.scopes.join(', ') || 'none'}.`);
        log.info({ tenantId: tenant.id, key: authn.key.prefix, method: ep.method, path: instance }, 'api request');
        // Validated only for a caller who may make the request: an unknown key gets 401, never a 422.
        const params = parseWith(ep.params, await route.params, 'params');
        const query = parseWith(ep.query ?? NO_QUERY, Object.fromEntries(url.searchParams), 'query');
        const bodyValue = ep.body ? await readJson(req) : undefined;
        const body = ep.body ? parseWith(ep.body, bodyValue, 'body') : {};
        const idemKey = ep.idempotent ? req.headers.get('idempotency-key') : null;
        if (idemKey !== null && !IDEMPOTENCY_KEY.test(idemKey)) throw new ApiProblem('idempotency-key-invalid', 'Idempotency-Key must be 1–255 printable ASCII characters (a UUID is a good choice).');

        const run = async (): Promise<Stored> => {
          const result = await ep.handler(tx, authn.ctx, { params, query, body, requestUrl: url });
          if (result.status === 204) return { status: 204, body: '', headers: {} };
          return { status: result.status ?? 200, body: JSON.stringify(result.body), headers: result.headers ?? {} };
        };
        if (!idemKey) return { ...(await run()), replayed: false };
        const requestHash = createHash('sha256').update(`${ep.method} ${url.pathname}\n${JSON.stringify(bodyValue ?? null)}`).digest('hex');
        return idempotent(tx, tenant.id, authn.key.id, idemKey, requestHash, ep.method, url.pathname, run);
      });
      if (!outcome.found) throw new ApiProblem('unauthorized', 'This API key is not valid.');
      const result = outcome.value;

      const headers: Record<string, string> = headersWithLimit(result.headers);
      if (result.replayed) headers['Idempotent-Replayed'] = 'true';
      if (result.status === 204) return new Response(null, { status: 204, headers });
      headers['content-type'] = 'application/json';
      if (ep.method === 'GET') {
        const etag = etagOf(result.body);
        headers.ETag = etag;
        headers['cache-control'] = 'private, no-cache';
        if (ifNoneMatch(req, etag)) {
          delete headers['content-type'];
          return new Response(null, { status: 304, headers });
        }
      }
      return new Response(result.body, { status: result.status, headers });
    } catch (e) {
      const problem =
        e instanceof ApiProblem
          ? e
          : e instanceof DomainError
            ? problemFromDomain(e)
            : e instanceof z.ZodError
              ? new ApiProblem('validation-failed', 'The request is not valid.', { errors: issuesOf(e) })
              : null;
      if (problem) return problemResponse(problem, requestId, instance, headersWithLimit());
      log.error({ err: e }, 'api request failed');
      return problemResponse(new ApiProblem('internal', 'Something went wrong on our side. Retry later; quote the request id if it persists.'), requestId, instance, headersWithLimit());
    }
  };
}

/**
 * The other methods on a known /api/v1 path: a 405 problem with `Allow`, rather than Next's empty 405.
 * Route files export it for every method they do not serve.
 */
export function methodNotAllowed(allowed: readonly string[]) {
  return (req: Request): Response => {
    const path = new URL(req.url).pathname;
    const problem = new ApiProblem('method-not-allowed', `${req.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`);
    return problemResponse(problem, req.headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID(), path, { Allow: allowed.join(', ') });
  };
}
