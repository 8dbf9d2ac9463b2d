import { z } from 'zod';
import { ScimError } from './errors';
import { normaliseAttr, parsePatchPath, type PatchPath } from './filter';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * PATCH bodies as Okta and Microsoft Entra ID send them (RFC 7644 §3.5.2). Entra capitalises ops ("Replace")
 * and sends booleans as strings ("False"); Okta often sends no path and an object value
 * (`{"op":"replace","value":{"active":false}}`). Both are read into the same small set of changes.
 */
export const PatchBody = z.object({
  schemas: z.array(z.string()).optional(),
  Operations: z
    .array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }))
    .min(1)
    .max(1000),
});
export type PatchOperation = z.infer<typeof PatchBody>['Operations'][number];

type Op = 'add' | 'replace' | 'remove';

function opOf(raw: string): Op {
  const op = raw.toLowerCase();
  if (op === 'add' || op === 'replace' || op === 'remove') return op;
  throw new ScimError(400, 'scimInvalidOp', { scimType: 'invalidSyntax', params: { op: raw.slice(0, 40) } });
}

/** SCIM booleans, including Entra's strings "True"/"False" (any case). */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimError(400, 'scimInvalidAttribute', { scimType: 'invalidValue', params: { attribute, problem: 'expected true or false' } });
}

function scimString(value: unknown, attribute: string): string {
  if (typeof value === 'string') return value;
  throw new ScimError(400, 'scimInvalidAttribute', { scimType: 'invalidValue', params: { attribute, problem: 'expected a string' } });
}

function nullableString(value: unknown, attribute: string): string | null {
  return value === null || value === undefined ? null : scimString(value, attribute);
}

/** What a user resource looks like to PATCH: the attributes Lectern keeps, plus which name parts were touched. */
export type UserPatchState = {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  name: { formatted: string | null; givenName: string | null; familyName: string | null };
  touched: Set<'formatted' | 'givenName' | 'familyName' | 'displayName'>;
};

/** Attributes of the core and enterprise schemas that Lectern does not keep: accepted and ignored. */
const IGNORED_USER_ATTRS = new Set([
  'emails', 'phonenumbers', 'addresses', 'title', 'nickname', 'profileurl', 'usertype', 'preferredlanguage', 'locale', 'timezone',
  'photos', 'ims', 'entitlements', 'roles', 'x509certificates', 'password', 'schemas', 'meta', 'id', 'groups',
]);

const NAME_PARTS = { formatted: 'formatted', givenname: 'givenName', familyname: 'familyName' } as const;

function setUserAttr(state: UserPatchState, op: Op, path: PatchPath, value: unknown): void {
  const { attr, sub } = path;
  if (attr.startsWith('urn:')) return; // extension schemas (enterprise: department, manager…): not kept
  if (IGNORED_USER_ATTRS.has(attr)) return;
  const removing = op === 'remove';
  switch (attr) {
    case 'username':
      if (removing) throw new ScimError(400, 'scimRequired', { scimType: 'mutability', params: { attribute: 'userName' } });
      state.userName = scimString(value, 'userName');
      return;
    case 'externalid':
      state.externalId = removing ? null : nullableString(value, 'externalId');
      return;
    case 'active':
      if (removing) throw new ScimError(400, 'scimRequired', { scimType: 'mutability', params: { attribute: 'active' } });
      state.active = scimBoolean(value, 'active');
      return;
    case 'displayname':
      state.displayName = removing ? null : nullableString(value, 'displayName');
      state.touched.add('displayName');
      return;
    case 'name': {
      if (sub) {
        const part = NAME_PARTS[sub as keyof typeof NAME_PARTS];
        if (!part) return; // middleName, honorificPrefix…: not kept
        state.name[part] = removing ? null : nullableString(value, `name.${part}`);
        state.touched.add(part);
        return;
      }
      if (removing || value === null) {
        state.name = { formatted: null, givenName: null, familyName: null };
        state.touched.add('formatted').add('givenName').add('familyName');
        return;
      }
      if (typeof value !== 'object' || Array.isArray(value)) throw new ScimError(400, 'scimInvalidAttribute', { scimType: 'invalidValue', params: { attribute: 'name', problem: 'expected an object' } });
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) setUserAttr(state, op, { attr: 'name', sub: k.toLowerCase() }, v);
      return;
    }
    default:
      throw new ScimError(400, 'scimInvalidPath', { scimType: 'invalidPath', params: { path: attr } });
  }
}

/** Apply PATCH operations to a user's state (RFC 7644 §3.5.2.1–3); the caller turns the result into changes. */
export function applyUserPatch(state: UserPatchState, operations: readonly PatchOperation[]): UserPatchState {
  for (const operation of operations) {
    const op = opOf(operation.op);
    if (operation.path !== undefined && operation.path !== '') {
      setUserAttr(state, op, parsePatchPath(operation.path), operation.value);
      continue;
    }
    // No path: the value is an object of attributes to add or replace (Okta's way); a remove needs a path.
    if (op === 'remove' || typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
      throw new ScimError(400, 'scimNoPath', { scimType: op === 'remove' ? 'noTarget' : 'invalidValue' });
    }
    for (const [key, value] of Object.entries(operation.value as Record<string, unknown>)) setUserAttr(state, op, parsePatchPath(key), value);
  }
  return state;
}

/** A group's member set and names, as PATCH sees them. Member ids are user resource ids. */
export type GroupPatchState = { displayName: string; externalId: string | null; members: Set<string> };

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    const id = typeof m === 'object' && m !== null ? (m as { value?: unknown }).value : undefined;
    if (typeof id !== 'string' || !id) throw new ScimError(400, 'scimInvalidAttribute', { scimType: 'invalidValue', params: { attribute: 'members', problem: 'each member needs a value (the user id)' } });
    return id;
  });
}

function setGroupAttr(state: GroupPatchState, op: Op, path: PatchPath, value: unknown): void {
  const { attr, filter, sub } = path;
  if (attr.startsWith('urn:') || attr === 'schemas' || attr === 'meta' || attr === 'id') return;
  switch (attr) {
    case 'displayname':
      if (op === 'remove') throw new ScimError(400, 'scimRequired', { scimType: 'mutability', params: { attribute: 'displayName' } });
      state.displayName = scimString(value, 'displayName');
      return;
    case 'externalid':
      state.externalId = op === 'remove' ? null : nullableString(value, 'externalId');
      return;
    case 'members': {
      if (sub) throw new ScimError(400, 'scimInvalidPath', { scimType: 'invalidPath', params: { path: `members.${sub}` } });
      if (filter) {
        // members[value eq "id"]: only a remove (or a replace with nothing) makes sense on one member.
        if (filter.attr !== 'value' || typeof filter.value !== 'string' || op !== 'remove') {
          throw new ScimError(400, 'scimInvalidPath', { scimType: 'invalidPath', params: { path: 'members[…]' } });
        }
        state.members.delete(filter.value);
        return;
      }
      if (op === 'remove') {
        // Entra removes listed members with a value; a remove of "members" without one empties the group.
        if (value === undefined || value === null) state.members.clear();
        else for (const id of memberIds(value)) state.members.delete(id);
        return;
      }
      const ids = value === null || value === undefined ? [] : memberIds(value);
      if (op === 'replace') state.members.clear();
      for (const id of ids) state.members.add(id);
      return;
    }
    default:
      throw new ScimError(400, 'scimInvalidPath', { scimType: 'invalidPath', params: { path: attr } });
  }
}

/** Apply PATCH operations to a group (rename, externalId, add/remove/replace members). */
export function applyGroupPatch(state: GroupPatchState, operations: readonly PatchOperation[]): GroupPatchState {
  for (const operation of operations) {
    const op = opOf(operation.op);
    if (operation.path !== undefined && operation.path !== '') {
      setGroupAttr(state, op, parsePatchPath(operation.path), operation.value);
      continue;
    }
    if (op === 'remove' || typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
      throw new ScimError(400, 'scimNoPath', { scimType: op === 'remove' ? 'noTarget' : 'invalidValue' });
    }
    for (const [key, value] of Object.entries(operation.value as Record<string, unknown>)) setGroupAttr(state, op, { attr: normaliseAttr(key) }, value);
  }
  return state;
}
