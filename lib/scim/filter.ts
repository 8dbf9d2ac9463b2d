import { ScimError } from './errors';

/**
 * The SCIM filter subset Lectern understands (RFC 7644 §3.4.2.2): `attribute eq value` comparisons joined by
 * `and`, where value is a JSON string, true, false or null. That is what Okta and Microsoft Entra ID send
 * (`userName eq "ada@example.com"`, `externalId eq "…"`, `displayName eq "…"`, and for groups
 * `members.value eq "…"`). Anything else — or, not, parentheses, other operators, unknown attributes — is
 * refused with 400 invalidFilter rather than guessed at, so an identity provider never acts on a wrong answer.
 */

export type FilterValue = string | boolean | null;
export type Comparison = { attr: string; value: FilterValue };

/** Core schema URNs an attribute may be qualified with (`urn:…:core:2.0:User:userName`). */
const CORE_PREFIXES = ['urn:ietf:params:scim:schemas:core:2.0:user:', 'urn:ietf:params:scim:schemas:core:2.0:group:'];

const MAX_FILTER_LENGTH = 1000;

/** Attribute names are case-insensitive (RFC 7643 §2.1): one lower-cased form, without the core schema URN. */
export function normaliseAttr(raw: string): string {
  const lower = raw.toLowerCase();
  for (const prefix of CORE_PREFIXES) if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  return lower;
}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string };

function invalid(reason: string, attributes: readonly string[]): ScimError {
  return new ScimError(400, 'scimInvalidFilter', { scimType: 'invalidFilter', params: { reason, attributes: attributes.join(', ') } });
}

function tokenize(input: string, attributes: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '"') {
      // A JSON string (RFC 7644 §3.4.2.2): find its closing quote, skipping escapes, and let JSON decode it.
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalid('a string is not closed', attributes);
      try {
        tokens.push({ kind: 'string', text: JSON.parse(input.slice(i, j + 1)) as string });
      } catch {
        throw invalid('a string is not valid JSON', attributes);
      }
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      throw invalid(`grouping with "${c}" is not supported`, attributes);
    } else {
      let j = i;
      while (j < input.length && !' \t\n\r"()[]'.includes(input[j]!)) j += 1;
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/**
 * Parse a filter into its comparisons (all must hold). `attributes` names the attributes that may be compared,
 * lower-cased (e.g. `username`, `externalid`, `members.value`).
 */
export function parseFilter(input: string, attributes: readonly string[]): Comparison[] {
  if (input.length > MAX_FILTER_LENGTH) throw invalid(`it is longer than ${MAX_FILTER_LENGTH} characters`, attributes);
  const tokens = tokenize(input, attributes);
  if (!tokens.length) throw invalid('it is empty', attributes);
  const out: Comparison[] = [];
  let i = 0;
  for (;;) {
    const [attrTok, opTok, valueTok] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!attrTok || attrTok.kind !== 'word') throw invalid('expected an attribute name', attributes);
    const attr = normaliseAttr(attrTok.text);
    if (!attributes.includes(attr)) throw invalid(`"${attrTok.text}" cannot be filtered on`, attributes);
    if (!opTok || opTok.kind !== 'word') throw invalid(`expected "eq" after ${attrTok.text}`, attributes);
    if (opTok.text.toLowerCase() !== 'eq') throw invalid(`the operator "${opTok.text}" is not supported (only eq)`, attributes);
    if (!valueTok) throw invalid(`expected a value after ${attrTok.text} eq`, attributes);
    out.push({ attr, value: literal(valueTok, attributes) });
    i += 3;
    const next = tokens[i];
    if (!next) return out;
    if (next.kind !== 'word' || next.text.toLowerCase() !== 'and') {
      throw invalid(next.kind === 'word' && next.text.toLowerCase() === 'or' ? '"or" is not supported (only and)' : `unexpected "${next.text}"`, attributes);
    }
    i += 1;
  }
}

function literal(tok: Token, attributes: readonly string[]): FilterValue {
  if (tok.kind === 'string') return tok.text;
  const word = tok.text.toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (word === 'null') return null;
  throw invalid(`the value ${tok.text} must be a quoted string, true, false or null`, attributes);
}

/** A PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[sub eq "v"]` or `attr[sub eq "v"].sub`, lower-cased. */
export type PatchPath = { attr: string; sub?: string; filter?: Comparison };

const PATH = /^([A-Za-z0-9:._-]+?)(?:\[(.*)\])?(?:\.([A-Za-z0-9_-]+))?$/;

export function parsePatchPath(raw: string): PatchPath {
  const bad = () => new ScimError(400, 'scimInvalidPath', { scimType: 'invalidPath', params: { path: raw.slice(0, 200) } });
  const trimmed = raw.trim();
  const m = PATH.exec(trimmed);
  if (!m || trimmed.length > 300) throw bad();
  const [, attrPart, filterPart, subAfterFilter] = m;
  let attr = normaliseAttr(attrPart!);
  let sub = subAfterFilter?.toLowerCase();
  // `name.givenName` without a filter: the regex put the last segment in `sub` only after a filter, so split here.
  if (filterPart === undefined && !attrPart!.toLowerCase().startsWith('urn:')) {
    const dot = attr.indexOf('.');
    if (dot > 0) {
      if (sub) throw bad();
      sub = attr.slice(dot + 1);
      attr = attr.slice(0, dot);
    }
  }
  if (filterPart === undefined) return { attr, ...(sub ? { sub } : {}) };
  let filter: Comparison[];
  try {
    filter = parseFilter(filterPart, ['value', 'type', 'display', 'primary']);
  } catch {
    throw bad();
  }
  if (filter.length !== 1) throw bad();
  return { attr, filter: filter[0], ...(sub ? { sub } : {}) };
}
