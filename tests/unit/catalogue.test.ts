import { describe, expect, it } from 'vitest';
import en from '@/lib/i18n/messages/en.json';
import { validationKey, v, type ValidationKey } from '@/lib/i18n/validation';
import { PasswordSchema } from '@/lib/auth/password';
import { SlugSchema } from '@/lib/tenancy/host';

describe('message catalogue', () => {
  it('maps every validation message back to its key (texts must be unique)', () => {
    const keys = Object.keys(en.validation) as ValidationKey[];
    for (const key of keys) expect(validationKey(v(key)), key).toBe(key);
    expect(new Set(Object.values(en.validation)).size).toBe(keys.length);
    expect(new Set(Object.values(en.errors)).size).toBe(Object.keys(en.errors).length);
  });

  it('schemas speak in catalogue messages, so forms can show them in any language', () => {
    for (const issue of [...SlugSchema.safeParse('a--b').error!.issues, ...SlugSchema.safeParse('admin').error!.issues, ...PasswordSchema.safeParse('short').error!.issues]) {
      expect(validationKey(issue.message), issue.message).toBeDefined();
    }
  });
});
