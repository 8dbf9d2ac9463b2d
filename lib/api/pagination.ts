import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { env } from '@/lib/env';
import { ApiProblem } from './problem';

export const DEFAULT_PAGE_SIZE = 50;
/** Documented maximum; a larger `limit` is refused (400 page-size-too-large), never silently capped. */
export const MAX_PAGE_SIZE = 200;

/** Query parameters every list takes. */
export const PageQuery = {
  limit: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .optional()
    .meta({ description: `Items per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}). A larger value is refused with 400.` }),
  cursor: z.string().max(400).optional().meta({ description: 'The `next_cursor` of the previous page (also in the `Link: rel="next"` header).' }),
};

export function pageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(limit);
  if (n < 1) throw new ApiProblem('invalid-query', '`limit` must be at least 1.');
  if (n > MAX_PAGE_SIZE) throw new ApiProblem('page-size-too-large', `\`limit\` may be at most ${MAX_PAGE_SIZE}; ${n} was asked for. Fetch more pages instead.`);
  return n;
}

/** Keyset position: the sort value (text as Postgres printed it, so no precision is lost) and the id. */
const Position = z.object({ k: z.string().max(100), i: z.uuid() });
export type Position = z.infer<typeof Position>;

// Signed, so a cursor is one this API issued: an edited sort value would otherwise reach SQL as a bad timestamp (500).
const mac = (payload: string) => createHmac('sha256', `lectern-api-cursor:${env().AUTH_SECRET}`).update(payload).digest('base64url').slice(0, 22);

export function encodeCursor(position: Position): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(payload)}`;
}

export function decodeCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined) return null;
  const [payload = '', signature = '', ...rest] = cursor.split('.');
  const expected = mac(payload);
  try {
    if (rest.length === 0 && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      const parsed = Position.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // fall through: not base64url JSON
  }
  throw new ApiProblem('invalid-cursor', 'The cursor is not one this API issued. Start again without `cursor`.');
}

/** Take `size + 1` rows to know whether another page exists; returns the page and the next cursor. */
export function pageOf<T>(rows: T[], size: number, positionOf: (row: T) => Position): { rows: T[]; next: string | null } {
  if (rows.length <= size) return { rows, next: null };
  const page = rows.slice(0, size);
  return { rows: page, next: encodeCursor(positionOf(page[page.length - 1]!)) };
}

/** The `Link` header for the next page: the same request with `cursor` replaced. */
export function nextLink(requestUrl: URL, next: string | null): Record<string, string> {
  if (!next) return {};
  const url = new URL(requestUrl);
  url.searchParams.set('cursor', next);
  return { Link: `<${url.toString()}>; rel="next"` };
}
