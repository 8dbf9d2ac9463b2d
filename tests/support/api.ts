/**
 * Call /api/v1 endpoints in-process, as Next would: the path is matched against the endpoint table, the
 * request goes through apiHandler (key, limits, validation, transaction, problem+json). Routing files
 * themselves are exercised by the e2e server.
 */
import type { Endpoint } from '@/lib/api/endpoint';
import { apiHandler } from '@/lib/api/handler';
import { createApiKey } from '@/lib/api/keys';
import { ENDPOINTS } from '@/lib/api/v1';
import type { MemberContext } from '@/lib/auth/context';
import { as } from './factories';

const routes = (Object.values(ENDPOINTS) as Endpoint[]).map((ep) => {
  const names: string[] = [];
  const pattern = new RegExp(`^/api/v1${ep.path.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
  return { ep, pattern, names, handler: apiHandler(ep) };
});

export type ApiResponse = { status: number; headers: Headers; body: unknown; text: string };

export async function callApi(
  method: string,
  pathWithQuery: string,
  opts: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const url = new URL(pathWithQuery, 'http://localhost:3000');
  const route = routes.find((r) => r.ep.method === method && r.pattern.test(url.pathname));
  if (!route) throw new Error(`no endpoint for ${method} ${url.pathname}`);
  const match = route.pattern.exec(url.pathname)!;
  const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
  const headers: Record<string, string> = { host: 'localhost:3000', ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await route.handler(new Request(url, { method, headers, body }), { params: Promise.resolve(params) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A key made the way an admin makes one in the UI. */
export async function makeApiKey(admin: MemberContext, scopes: string[], opts: { name?: string; expiresInDays?: number } = {}): Promise<string> {
  const { key } = await as(admin, (tx, c) => createApiKey(tx, c, { name: opts.name ?? 'Test key', scopes, expiresInDays: opts.expiresInDays ?? 0 }));
  return key;
}
