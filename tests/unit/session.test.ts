import { describe, expect, it } from 'vitest';
import { sessionStillValid } from '@/lib/auth/context';

describe('sessionStillValid', () => {
  const changed = new Date('2026-11-27T10:00:00.500Z');
  const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

  it('honours every session while the password has never changed', () => {
    expect(sessionStillValid(at('2026-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('ends sessions that signed in before a password change', () => {
    expect(sessionStillValid(at('2026-11-27T09:59:59Z'), changed)).toBe(false);
    expect(sessionStillValid(undefined, changed)).toBe(false);
  });

  it('keeps sessions that signed in at or after the change', () => {
    expect(sessionStillValid(at('2026-11-27T10:00:00Z'), changed)).toBe(true);
    expect(sessionStillValid(at('2026-11-27T10:05:00Z'), changed)).toBe(true);
  });
});
