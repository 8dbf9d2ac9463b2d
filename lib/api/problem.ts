/**
 * RFC 9457 problem documents for /api/v1. Each `type` is a stable URI integrators can switch on; the title
 * is fixed per type, the detail says what exactly went wrong. Never 200 on failure.
 */
export const PROBLEM_BASE = 'https://lectern.app/problems/';

export const PROBLEM_TYPES = {
  'unauthorized': { status: 401, title: 'Missing or unknown API key' },
  'key-expired': { status: 401, title: 'API key expired' },
  'key-revoked': { status: 401, title: 'API key revoked' },
  'insufficient-scope': { status: 403, title: 'The API key lacks a scope this request needs' },
  'forbidden': { status: 403, title: "The key's member may not do this" },
  'not-found': { status: 404, title: 'Not found' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'validation-failed': { status: 422, title: 'The request has invalid or unknown fields' },
  'invalid-query': { status: 400, title: 'The query string has invalid or unknown parameters' },
  'page-size-too-large': { status: 400, title: 'The requested page size is larger than the maximum' },
  'invalid-cursor': { status: 400, title: 'The cursor is not one this API issued' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with a different request' },
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key header is invalid' },
  'conflict': { status: 409, title: 'The request conflicts with the current state' },
  'plan-limit': { status: 402, title: "The organisation's plan does not allow this" },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'internal': { status: 500, title: 'Internal error' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
};

/** A thrown problem: the API wrapper turns it into the response. */
export class ApiProblem extends Error {
  constructor(
    readonly problemType: ProblemType,
    readonly detail: string,
    readonly extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  get status(): number {
    return PROBLEM_TYPES[this.problemType].status;
  }

  toJSON(requestId?: string, instance?: string): Problem {
    return {
      type: PROBLEM_BASE + this.problemType,
      title: PROBLEM_TYPES[this.problemType].title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(requestId ? { request_id: requestId } : {}),
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
    };
  }
}
