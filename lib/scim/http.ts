import { withTenant, type Tx } from '@/db/client';
import { readBodyText } from '@/lib/http/body';
import { logger, REQUEST_ID_HEADER } from '@/lib/log';
import { DomainError } from '@/lib/errors';
import { findTenantBySlug } from '@/lib/tenancy/tenants';
import { SCIM_CONTENT_TYPE, ScimError, scimErrorBody, toScimError } from './errors';
import { createGroup, deleteGroup, findGroup, listGroups, membersOfGroups, patchGroup, replaceGroup, type ScimGroup } from './groups';
import { PatchBody } from './patch';
import { groupResource, listResponse, MAX_PAGE, project, resourceTypes, scimBaseUrl, schemas, serviceProviderConfig, userResource } from './resources';
import { parseScimToken, verifyScimToken, type ScimContext } from './tokens';
import { createUser, deleteUser, findUser, groupsOfUsers, listUsers, patchUser, replaceUser, type ScimUser } from './users';

/** Bodies larger than this are refused before anything is parsed (a group push of ~10,000 members fits). */
export const MAX_SCIM_BODY = 2 * 1024 * 1024;

type Result = { status: number; body?: unknown; location?: string };

function scimResponse(status: number, body?: unknown, extra: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra };
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } });
}

function unauthorized(): Response {
  const e = new ScimError(401, 'scimUnauthorized');
  return scimResponse(401, scimErrorBody(401, e.message), { 'www-authenticate': 'Bearer realm="Lectern SCIM"' });
}

function intParam(raw: string | null, fallback: number): number {
  if (raw === null || !/^-?\d{1,9}$/.test(raw.trim())) return fallback;
  return Number.parseInt(raw, 10);
}

function listParam(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, '').split('.')[0]!)
    .filter(Boolean);
}

type Query = { filter: string | null; startIndex: number; count: number; projection: { attributes: string[] | null; excluded: string[] } };

function queryOf(url: URL): Query {
  const attributes = listParam(url.searchParams.get('attributes'));
  return {
    filter: url.searchParams.get('filter')?.trim() || null,
    // RFC 7644 §3.4.2.4: startIndex below 1 is read as 1; count is capped at the page maximum, 0 gives totals only.
    startIndex: Math.max(1, intParam(url.searchParams.get('startIndex'), 1)),
    count: Math.min(MAX_PAGE, Math.max(0, intParam(url.searchParams.get('count'), MAX_PAGE))),
    projection: { attributes: attributes.length ? attributes : null, excluded: listParam(url.searchParams.get('excludedAttributes')) },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, 'scimInvalidJson', { scimType: 'invalidSyntax' });
  }
}

async function renderUsers(tx: Tx, base: string, users: ScimUser[], q: Query) {
  const groups = await groupsOfUsers(tx, users.map((u) => u.id));
  return users.map((u) => project(userResource(base, u, groups.get(u.id) ?? []), q.projection));
}

async function renderGroups(tx: Tx, base: string, groups: ScimGroup[], q: Query) {
  // Members are read only when they will be shown (Entra lists groups with excludedAttributes=members).
  const wantMembers = Object.keys(project({ members: 1 }, q.projection)).length > 0;
  const members = wantMembers ? await membersOfGroups(tx, groups.map((g) => g.id)) : null;
  return groups.map((g) => project(groupResource(base, g, members ? (members.get(g.id) ?? []) : null), q.projection));
}

function methodNotAllowed(method: string, path: string): never {
  throw new ScimError(405, 'scimMethodNotAllowed', { params: { method, path } });
}

/** One SCIM request, inside the token's organisation transaction. */
async function route(tx: Tx, sc: ScimContext, method: string, segments: string[], url: URL, bodyText: string): Promise<Result> {
  const base = scimBaseUrl(sc.tenant.slug);
  const q = queryOf(url);
  const [resource = '', id, ...rest] = segments;
  const path = `/${segments.join('/')}`;
  const body = () => parseJson(bodyText);
  if (rest.length) throw new ScimError(404, 'scimUnknownEndpoint', { params: { path } });
  switch (resource.toLowerCase()) {
    case 'serviceproviderconfig':
      if (method !== 'GET' || id) return methodNotAllowed(method, path);
      return { status: 200, body: serviceProviderConfig(base) };
    case 'resourcetypes': {
      if (method !== 'GET') return methodNotAllowed(method, path);
      const all = resourceTypes(base);
      if (!id) return { status: 200, body: listResponse(all, all.length, 1) };
      const one = all.find((r) => r.id.toLowerCase() === id.toLowerCase());
      if (!one) throw new ScimError(404, 'scimNotFound', { params: { resource: 'ResourceType', id: id.slice(0, 64) } });
      return { status: 200, body: one };
    }
    case 'schemas': {
      if (method !== 'GET') return methodNotAllowed(method, path);
      const all = schemas(base);
      if (!id) return { status: 200, body: listResponse(all, all.length, 1) };
      const one = all.find((s) => s.id.toLowerCase() === id.toLowerCase());
      if (!one) throw new ScimError(404, 'scimNotFound', { params: { resource: 'Schema', id: id.slice(0, 100) } });
      return { status: 200, body: one };
    }
    case 'users': {
      if (!id) {
        if (method === 'GET') {
          const { total, rows } = await listUsers(tx, sc, q);
          return { status: 200, body: listResponse(await renderUsers(tx, base, rows, q), total, q.startIndex) };
        }
        if (method === 'POST') {
          const user = await createUser(tx, sc, body());
          const [resourceBody] = await renderUsers(tx, base, [user], q);
          return { status: 201, body: resourceBody, location: `${base}/Users/${user.id}` };
        }
        return methodNotAllowed(method, path);
      }
      if (id.startsWith('.')) throw new ScimError(501, 'scimNotImplemented', { params: { feature: `POST /Users/${id.slice(0, 20)}` } });
      let user: ScimUser;
      if (method === 'GET') user = await findUser(tx, sc, id);
      else if (method === 'PUT') user = await replaceUser(tx, sc, id, body());
      else if (method === 'PATCH') user = await patchUser(tx, sc, id, PatchBody.parse(body()).Operations);
      else if (method === 'DELETE') {
        await deleteUser(tx, sc, id);
        return { status: 204 };
      } else return methodNotAllowed(method, path);
      const [resourceBody] = await renderUsers(tx, base, [user], q);
      return { status: 200, body: resourceBody };
    }
    case 'groups': {
      if (!id) {
        if (method === 'GET') {
          const { total, rows } = await listGroups(tx, sc, q);
          return { status: 200, body: listResponse(await renderGroups(tx, base, rows, q), total, q.startIndex) };
        }
        if (method === 'POST') {
          const group = await createGroup(tx, sc, body());
          const [resourceBody] = await renderGroups(tx, base, [group], q);
          return { status: 201, body: resourceBody, location: `${base}/Groups/${group.id}` };
        }
        return methodNotAllowed(method, path);
      }
      let group: ScimGroup;
      if (method === 'GET') group = await findGroup(tx, sc.tenant.id, id);
      else if (method === 'PUT') group = await replaceGroup(tx, sc, id, body());
      else if (method === 'PATCH') group = await patchGroup(tx, sc, id, PatchBody.parse(body()).Operations);
      else if (method === 'DELETE') {
        await deleteGroup(tx, sc, id);
        return { status: 204 };
      } else return methodNotAllowed(method, path);
      const [resourceBody] = await renderGroups(tx, base, [group], q);
      return { status: 200, body: resourceBody };
    }
    case 'bulk':
    case 'me':
      throw new ScimError(501, 'scimNotImplemented', { params: { feature: `/${resource}` } });
    default:
      throw new ScimError(404, 'scimUnknownEndpoint', { params: { path: path.slice(0, 100) } });
  }
}

/**
 * The one frame for /scim/v2/*: the bearer token names the organisation (never the Host) and is checked inside
 * that organisation's transaction, in which the whole request then runs — so a refusal anywhere writes nothing.
 * Every answer is application/scim+json; every failure is a SCIM error (RFC 7644 §3.12), and unexpected ones
 * are logged and answered 500 without details.
 */
export async function handleScimRequest(req: Request, segments: string[]): Promise<Response> {
  const log = logger.child({ reqId: req.headers.get(REQUEST_ID_HEADER) ?? undefined });
  const method = req.method.toUpperCase();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  const parsed = bearer ? parseScimToken(bearer) : null;
  const tenant = parsed ? await findTenantBySlug(parsed.slug) : null;
  if (!bearer || !tenant) return unauthorized();
  try {
    // The body is read in full (within the limit) before the transaction opens; it is parsed once authorised.
    const bodyText = ['POST', 'PUT', 'PATCH'].includes(method) ? await readBodyText(req, MAX_SCIM_BODY) : '';
    const result = await withTenant(tenant.id, async (tx) => {
      const token = await verifyScimToken(tx, tenant.id, bearer);
      if (!token) return null;
      return route(tx, { tenant, token }, method, segments, new URL(req.url), bodyText);
    });
    if (!result) return unauthorized();
    return scimResponse(result.status, result.body, result.location ? { location: result.location } : {});
  } catch (e) {
    if (e instanceof DomainError && e.code === 'bodyTooLarge') return scimResponse(413, scimErrorBody(413, e.message));
    const scim = toScimError(e);
    if (scim) {
      log.info({ status: scim.status, scimType: scim.body.scimType, tenant: tenant.slug, method, path: segments.join('/') }, 'scim request refused');
      return scimResponse(scim.status, scim.body);
    }
    log.error({ err: e, tenant: tenant.slug, method, path: segments.join('/') }, 'scim request failed');
    return scimResponse(500, scimErrorBody(500, 'Lectern could not complete this request. Try again; if it keeps failing, contact support.'));
  }
}
