import { z } from 'zod';
import type { Endpoint } from './endpoint';
import { API_SCOPES } from './keys';
import { MAX_PAGE_SIZE } from './pagination';
import { PROBLEM_BASE, PROBLEM_TYPES } from './problem';
import { ENDPOINTS } from './v1';

type Json = Record<string, unknown>;

const API_PREFIX = '/api/v1';

/** zod → JSON Schema 2020-12 (what OpenAPI 3.1 uses); named schemas (`.meta({ id })`) go to components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] = rewriteRefs(def) as Json;
  return rewriteRefs(json) as Json;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v);
    return out;
  }
  return value;
}

function parametersOf(shape: z.ZodObject | undefined, where: 'path' | 'query', components: Record<string, Json>): Json[] {
  if (!shape) return [];
  return Object.entries(shape.shape as Record<string, z.ZodType>).map(([name, s]) => {
    const schema = toSchema(s, 'input', components);
    const description = schema.description;
    delete schema.description;
    return { name, in: where, required: where === 'path' || !s.safeParse(undefined).success, ...(description ? { description } : {}), schema };
  });
}

const rateHeaders = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
};

function operationOf(ep: Endpoint, components: Record<string, Json>): Json {
  const responses: Json = {};
  const headers: Json = { ...rateHeaders };
  if (ep.method === 'GET') headers.ETag = { $ref: '#/components/headers/ETag' };
  if (ep.paginated) headers.Link = { $ref: '#/components/headers/Link' };
  if (ep.response) {
    const content = { 'application/json': { schema: toSchema(ep.response, 'output', components) } };
    if (ep.method === 'POST') {
      responses['201'] = { description: 'Created', headers: { ...headers, Location: { schema: { type: 'string' } } }, content };
      responses['200'] = { description: 'Already existed (or a replay of an Idempotency-Key)', headers, content };
    } else {
      responses['200'] = { description: 'OK', headers, content };
    }
  } else {
    responses['204'] = { description: 'Done', headers };
  }
  if (ep.method === 'GET') responses['304'] = { description: 'Not modified (If-None-Match matched the ETag)', headers };
  const statuses = new Set([400, 401, 403, 429, ...(ep.body ? [413, 415, 422] : []), ...(ep.problems ?? [])]);
  for (const status of [...statuses].sort()) responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  const parameters = [...parametersOf(ep.params as z.ZodObject | undefined, 'path', components), ...parametersOf(ep.query as z.ZodObject | undefined, 'query', components)];
  if (ep.idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  return {
    operationId: ep.operationId,
    summary: ep.summary,
    ...(ep.description ? { description: ep.description } : {}),
    tags: [ep.tag],
    security: [{ apiKey: [ep.scope] }],
    'x-required-scope': ep.scope,
    ...(parameters.length ? { parameters } : {}),
    ...(ep.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(ep.body, 'input', components) } } } } : {}),
    responses,
  };
}

const PROBLEM_STATUS_TEXT: Record<number, string> = {
  400: 'Bad request (malformed JSON, invalid query, page too large, bad cursor)',
  401: 'Missing, unknown, expired or revoked API key',
  402: "The organisation's plan does not allow this (e.g. all learner seats are taken)",
  403: 'The key lacks the scope, or its member may not do this',
  404: 'Not found in this organisation',
  409: 'Conflicts with the current state (e.g. an external id already in use)',
  413: 'The body is larger than 1 MiB',
  415: 'The body must be JSON',
  422: 'Invalid or unknown fields, or an Idempotency-Key reused with another request',
  429: 'Rate limited; see Retry-After',
};

let cached: Json | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. */
export function openApiDocument(): Json {
  if (cached) return cached;
  const schemas: Record<string, Json> = {};
  const paths: Record<string, Json> = {};
  for (const ep of Object.values(ENDPOINTS) as Endpoint[]) {
    const path = API_PREFIX + ep.path;
    paths[path] ??= {};
    (paths[path] as Json)[ep.method.toLowerCase()] = operationOf(ep, schemas);
  }
  schemas.Problem = {
    type: 'object',
    description: 'RFC 9457 problem details. `type` is stable: switch on it, not on `title` or `detail`.',
    properties: {
      type: { type: 'string', enum: Object.keys(PROBLEM_TYPES).map((t) => PROBLEM_BASE + t) },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      request_id: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] } },
    },
    required: ['type', 'title', 'status', 'detail'],
  };
  const responses: Json = {};
  for (const [status, text] of Object.entries(PROBLEM_STATUS_TEXT)) {
    responses[`Problem${status}`] = {
      description: text,
      headers: { ...rateHeaders, ...(status === '429' ? { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } : {}) },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Lectern REST API',
      version: '1.0.0',
      description: [
        'Read and change an organisation\'s members, courses, enrolments, progress, grades, quiz attempts and certificates.',
        'Authenticate with `Authorization: Bearer <API key>`; the key decides the organisation and its scopes. A key acts as the admin who made it: it can do nothing that person could not do in the web app.',
        `Lists use cursor pagination: \`limit\` (1–${MAX_PAGE_SIZE}, default 50; larger is refused with 400), \`next_cursor\` in the body and a \`Link: rel="next"\` header.`,
        'Errors are RFC 9457 problem documents with a stable `type`. Every response carries `X-Request-Id` and the `RateLimit-*` headers; GET responses carry an `ETag` (send `If-None-Match` for a 304). POST accepts `Idempotency-Key` (replays within 24 hours return the stored response).',
        'Ids in paths accept a Lectern id or `sis:<your id>` for members, courses and enrolments.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This Lectern' }],
    tags: [
      { name: 'Members', description: 'People in the organisation.' },
      { name: 'Courses', description: 'Courses and their structure.' },
      { name: 'Enrolments', description: 'Who is in which course, with which role.' },
      { name: 'Progress', description: 'Item completion and course completion.' },
      { name: 'Grades', description: 'Gradebook rows and quiz attempts.' },
      { name: 'Certificates', description: 'Certificates issued on completion.' },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: `An API key from Admin → API keys. Scopes: ${API_SCOPES.join(', ')}.` },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'A unique key per intended request (a UUID). A replay within 24 h returns the stored response with `Idempotent-Replayed: true`; the same key with a different request is refused (422).',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        'RateLimit-Limit': { description: 'Requests allowed per minute for this key', schema: { type: 'integer' } },
        'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
        'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
        'X-Request-Id': { description: 'Quote it when asking for help', schema: { type: 'string' } },
        ETag: { description: 'Send it back as If-None-Match to get 304 when nothing changed', schema: { type: 'string' } },
        Link: { description: 'The next page: `<url>; rel="next"`', schema: { type: 'string' } },
      },
      responses,
      schemas,
    },
  };
  return cached;
}
