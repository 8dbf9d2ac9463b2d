import { describe, expect, it } from 'vitest';
import { ScimError } from '@/lib/scim/errors';
import { parseFilter, parsePatchPath } from '@/lib/scim/filter';
import { applyGroupPatch, applyUserPatch, scimBoolean, type UserPatchState } from '@/lib/scim/patch';

const USERS = ['username', 'externalid', 'active'];

function refusal(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return e as ScimError;
  }
  throw new Error('expected a ScimError');
}

describe('parseFilter', () => {
  it('reads eq comparisons joined by and, case-insensitively, with JSON string escapes and schema-qualified names', () => {
    expect(parseFilter('userName eq "ada@x.test"', USERS)).toEqual([{ attr: 'username', value: 'ada@x.test' }]);
    expect(parseFilter('UserName EQ "a\\"b" AND active eq false and externalId eq null', USERS)).toEqual([
      { attr: 'username', value: 'a"b' },
      { attr: 'active', value: false },
      { attr: 'externalid', value: null },
    ]);
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', USERS)).toEqual([{ attr: 'username', value: 'x' }]);
  });

  it('refuses everything outside the subset with invalidFilter, saying what is supported', () => {
    for (const f of ['', 'userName', 'userName eq', 'userName ne "x"', 'userName eq "x" or active eq true', 'not (userName eq "x")', 'emails[type eq "work"]', 'userName eq "x" and', 'userName eq x', 'title eq "x"', 'userName eq "open', `userName eq "${'a'.repeat(1001)}"`]) {
      const e = refusal(() => parseFilter(f, USERS));
      expect(e.scimStatus, f).toBe(400);
      expect(e.scimType, f).toBe('invalidFilter');
      expect(e.message).toContain('username, externalid, active');
    }
  });
});

describe('parsePatchPath', () => {
  it('reads plain, dotted, schema-qualified and filtered paths', () => {
    expect(parsePatchPath('active')).toEqual({ attr: 'active' });
    expect(parsePatchPath('name.givenName')).toEqual({ attr: 'name', sub: 'givenname' });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName')).toEqual({ attr: 'name', sub: 'familyname' });
    expect(parsePatchPath('members[value eq "abc"]')).toEqual({ attr: 'members', filter: { attr: 'value', value: 'abc' } });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({ attr: 'emails', filter: { attr: 'type', value: 'work' }, sub: 'value' });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department').attr).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department');
    expect(refusal(() => parsePatchPath('members[value ne "x"]')).scimType).toBe('invalidPath');
    expect(refusal(() => parsePatchPath('a b')).scimType).toBe('invalidPath');
  });
});

function userState(): UserPatchState {
  return { userName: 'ada@x.test', externalId: null, active: true, displayName: 'Ada L', name: { formatted: 'Ada L', givenName: 'Ada', familyName: 'L' }, touched: new Set() };
}

describe('applyUserPatch', () => {
  it('takes Okta’s pathless replace and Entra’s capitalised ops with string booleans alike', () => {
    expect(applyUserPatch(userState(), [{ op: 'replace', value: { active: false } }]).active).toBe(false);
    const s = applyUserPatch(userState(), [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Add', path: 'externalId', value: 'e-1' },
      { op: 'Replace', path: 'name.givenName', value: 'Augusta' },
      { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: { value: 'x' } },
      { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '123' },
    ]);
    expect(s).toMatchObject({ active: false, externalId: 'e-1', name: { givenName: 'Augusta' } });
    expect([...s.touched]).toEqual(['givenName']);
    expect(applyUserPatch(userState(), [{ op: 'replace', value: { name: { familyName: 'King' }, 'name.givenName': 'Ada' } }]).name).toMatchObject({ givenName: 'Ada', familyName: 'King' });
    expect(applyUserPatch(userState(), [{ op: 'remove', path: 'externalId' }]).externalId).toBeNull();
  });

  it('refuses unknown ops, unknown attributes, bad booleans and removing required attributes', () => {
    expect(refusal(() => applyUserPatch(userState(), [{ op: 'copy', path: 'active', value: true }])).scimType).toBe('invalidSyntax');
    expect(refusal(() => applyUserPatch(userState(), [{ op: 'replace', path: 'shoeSize', value: 42 }])).scimType).toBe('invalidPath');
    expect(refusal(() => applyUserPatch(userState(), [{ op: 'replace', path: 'active', value: 'yes' }])).scimType).toBe('invalidValue');
    expect(refusal(() => applyUserPatch(userState(), [{ op: 'remove', path: 'userName' }])).scimType).toBe('mutability');
    expect(refusal(() => applyUserPatch(userState(), [{ op: 'remove' }])).scimType).toBe('noTarget');
  });

  it('reads SCIM booleans strictly', () => {
    expect(scimBoolean('TRUE', 'active')).toBe(true);
    expect(scimBoolean(false, 'active')).toBe(false);
    expect(() => scimBoolean(1, 'active')).toThrow(ScimError);
  });
});

describe('applyGroupPatch', () => {
  const state = () => ({ displayName: 'Staff', externalId: null, members: new Set(['a', 'b']) });
  it('adds, removes by filter or by value list, replaces, and renames without a path', () => {
    expect([...applyGroupPatch(state(), [{ op: 'Add', path: 'members', value: [{ value: 'c' }] }]).members]).toEqual(['a', 'b', 'c']);
    expect([...applyGroupPatch(state(), [{ op: 'remove', path: 'members[value eq "a"]' }]).members]).toEqual(['b']);
    expect([...applyGroupPatch(state(), [{ op: 'Remove', path: 'members', value: [{ value: 'b' }] }]).members]).toEqual(['a']);
    expect([...applyGroupPatch(state(), [{ op: 'remove', path: 'members' }]).members]).toEqual([]);
    expect([...applyGroupPatch(state(), [{ op: 'replace', path: 'members', value: [{ value: 'z' }] }]).members]).toEqual(['z']);
    expect(applyGroupPatch(state(), [{ op: 'replace', value: { id: 'g1', displayName: 'Teachers' } }]).displayName).toBe('Teachers');
    expect(refusal(() => applyGroupPatch(state(), [{ op: 'add', path: 'members', value: [{ display: 'no id' }] }])).scimType).toBe('invalidValue');
  });
});
