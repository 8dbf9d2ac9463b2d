import { tenantOrigin } from '@/lib/tenancy/urls';

/** The SCIM documents Lectern serves (RFC 7643), and how its rows look as SCIM resources. */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Page size when the client names none, and the most one page may hold. */
export const MAX_PAGE = 100;

/** The base URL an identity provider is given: configuration, never the request's Host. */
export function scimBaseUrl(slug: string): string {
  return `${tenantOrigin(slug)}/scim/v2`;
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token made under Admin → Provisioning, sent as "Authorization: Bearer <token>".', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string) {
  return [
    { schemas: [RESOURCE_TYPE_SCHEMA], id: 'User', name: 'User', endpoint: '/Users', description: 'A member of the organisation', schema: USER_SCHEMA, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` } },
    { schemas: [RESOURCE_TYPE_SCHEMA], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A group of members, mapped by an admin to a role or a course', schema: GROUP_SCHEMA, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` } },
  ];
}

type Attr = {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued: boolean;
  required: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'default' | 'never';
  uniqueness: 'none' | 'server' | 'global';
  caseExact: boolean;
  description: string;
  subAttributes?: Attr[];
  referenceTypes?: string[];
};

function attr(name: string, type: Attr['type'], description: string, opts: Partial<Attr> = {}): Attr {
  return { name, type, multiValued: false, required: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', caseExact: false, description, ...opts };
}

/** Only the attributes Lectern keeps; others that IdPs send (phone numbers, titles…) are accepted and ignored. */
export function schemas(base: string) {
  return [
    {
      schemas: [SCHEMA_SCHEMA],
      id: USER_SCHEMA,
      name: 'User',
      description: 'A member of the organisation. userName is the email address the person signs in with.',
      attributes: [
        attr('userName', 'string', 'The email address; unique across Lectern.', { required: true, uniqueness: 'server' }),
        attr('name', 'complex', 'The person’s name.', {
          subAttributes: [attr('formatted', 'string', 'Full name'), attr('givenName', 'string', 'Given name'), attr('familyName', 'string', 'Family name')],
        }),
        attr('displayName', 'string', 'The name shown in Lectern.'),
        attr('externalId', 'string', 'The identity provider’s id for this person.', { caseExact: true }),
        attr('active', 'boolean', 'false deactivates the member: no sign-in, no seat, history kept.'),
        attr('emails', 'complex', 'The email address (the same as userName).', {
          multiValued: true,
          mutability: 'readOnly',
          subAttributes: [attr('value', 'string', 'Address', { mutability: 'readOnly' }), attr('type', 'string', 'work', { mutability: 'readOnly' }), attr('primary', 'boolean', 'Always true', { mutability: 'readOnly' })],
        }),
        attr('groups', 'complex', 'The groups the member is in.', {
          multiValued: true,
          mutability: 'readOnly',
          subAttributes: [attr('value', 'string', 'Group id', { mutability: 'readOnly' }), attr('display', 'string', 'Group name', { mutability: 'readOnly' })],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${USER_SCHEMA}` },
    },
    {
      schemas: [SCHEMA_SCHEMA],
      id: GROUP_SCHEMA,
      name: 'Group',
      description: 'A group of members. An admin maps it to a role or a course in Lectern; unmapped groups change nothing.',
      attributes: [
        attr('displayName', 'string', 'The group’s name, unique in the organisation.', { required: true, uniqueness: 'server' }),
        attr('externalId', 'string', 'The identity provider’s id for this group.', { caseExact: true }),
        attr('members', 'complex', 'The users in the group.', {
          multiValued: true,
          subAttributes: [
            attr('value', 'string', 'User id', { mutability: 'immutable' }),
            attr('display', 'string', 'User name', { mutability: 'readOnly' }),
            attr('$ref', 'reference', 'User URL', { mutability: 'readOnly', referenceTypes: ['User'] }),
          ],
        }),
      ],
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${GROUP_SCHEMA}` },
    },
  ];
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  externalId: string | null;
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** Lectern keeps one name; given and family names are read back by splitting at the last space. */
export function splitName(name: string): { givenName: string; familyName: string } {
  const at = name.trim().lastIndexOf(' ');
  return at > 0 ? { givenName: name.slice(0, at).trim(), familyName: name.slice(at + 1) } : { givenName: name.trim(), familyName: '' };
}

export function userResource(base: string, u: UserRow, groups: { id: string; displayName: string }[]) {
  return {
    schemas: [USER_SCHEMA],
    id: u.id,
    ...(u.externalId !== null ? { externalId: u.externalId } : {}),
    userName: u.email,
    name: { formatted: u.name, ...splitName(u.name) },
    displayName: u.name,
    emails: [{ value: u.email, type: 'work', primary: true }],
    active: u.deactivatedAt === null,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${base}/Groups/${g.id}` })),
    // The organisation role, for reading only: roles come from group mappings made in Lectern.
    roles: [{ value: u.role, primary: true }],
    meta: { resourceType: 'User', created: u.createdAt.toISOString(), lastModified: u.updatedAt.toISOString(), location: `${base}/Users/${u.id}` },
  };
}

export type GroupRow = { id: string; displayName: string; externalId: string | null; createdAt: Date; updatedAt: Date };

export function groupResource(base: string, g: GroupRow, members: { id: string; name: string }[] | null) {
  return {
    schemas: [GROUP_SCHEMA],
    id: g.id,
    displayName: g.displayName,
    ...(g.externalId !== null ? { externalId: g.externalId } : {}),
    ...(members ? { members: members.map((m) => ({ value: m.id, display: m.name, type: 'User', $ref: `${base}/Users/${m.id}` })) } : {}),
    meta: { resourceType: 'Group', created: g.createdAt.toISOString(), lastModified: g.updatedAt.toISOString(), location: `${base}/Groups/${g.id}` },
  };
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), on top-level attributes: id and schemas always stay.
 * Entra asks for groups with `excludedAttributes=members`, which also spares reading large member lists.
 */
export function project<T extends Record<string, unknown>>(resource: T, opts: { attributes: string[] | null; excluded: string[] }): Partial<T> {
  const keep = (k: string) => k === 'id' || k === 'schemas' || ((!opts.attributes || opts.attributes.includes(k.toLowerCase())) && !opts.excluded.includes(k.toLowerCase()));
  return Object.fromEntries(Object.entries(resource).filter(([k]) => keep(k))) as Partial<T>;
}
