import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

export const PasswordSchema = z
  .string()
  .min(10, v('passwordTooShort'))
  .max(200, v('passwordTooLong'));

// argon2id (the library's default algorithm) with OWASP's recommended memory and time cost.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when no user exists keeps response time from revealing which emails have accounts. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('lectern-timing-equaliser');
  return dummy;
}
