import { z } from 'zod';
import type { Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import type { ApiScope } from './keys';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type EndpointInput<P, Q, B> = { params: P; query: Q; body: B; requestUrl: URL };

/** What a handler returns: the body (validated against `response` in tests), optional headers and status. */
export type EndpointResult<R> = { body: R; status?: 200 | 201; headers?: Record<string, string> } | { status: 204 };

/**
 * One REST endpoint, declared once: its path and method, the scope it needs, the zod schemas of its path
 * parameters, query, body and response, and its handler. The request wrapper validates with these schemas
 * and the OpenAPI document is generated from the very same ones.
 */
export type Endpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI style, relative to /api/v1: `/courses/{course}/modules`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  /** Extra statuses this endpoint may answer with, for the document (problem+json). */
  problems?: number[];
  /** A paginated list: `limit` and `cursor` query parameters, a `Link` header. */
  paginated?: boolean;
  /** POST only: honour Idempotency-Key. */
  idempotent?: boolean;
  handler: (tx: Tx, ctx: MemberContext, input: EndpointInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<EndpointResult<z.infer<R>>>;
};

export function endpoint<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodObject, R extends z.ZodType = z.ZodType>(
  def: Endpoint<P, Q, B, R>,
): Endpoint {
  return def as unknown as Endpoint;
}

/** A list page: the items and the cursor of the next page (null on the last). */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
