import { randomInt } from 'node:crypto';

/**
 * Public verification codes: 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V),
 * in four groups — about 78 random bits, so codes cannot be guessed or enumerated.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;

/** A new random code, e.g. `7KQW-M3ZD-R8HT-2XPA`. */
export function newCertificateCode(): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return group(raw);
}

function group(raw: string): string {
  return raw.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
}

const VALID = new RegExp(`^[${CODE_ALPHABET}]{${LENGTH}}$`);

/**
 * A code as someone typed or pasted it — any case, spaces or hyphens anywhere — in its stored form, or null
 * when it cannot be a code at all (then there is nothing to look up).
 */
export function normaliseCertificateCode(input: string): string | null {
  if (input.length > 64) return null;
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  return VALID.test(raw) ? group(raw) : null;
}
