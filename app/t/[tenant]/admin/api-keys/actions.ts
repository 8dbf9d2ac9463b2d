'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { createApiKey, revokeApiKey } from '@/lib/api/keys';

// One checkbox per scope (`scope:<resource>:<read|write>`), gathered into the list the service checks.
const CreateKeyForm = z.looseObject({ name: z.string(), expiresInDays: z.string() }).transform((raw) => ({
  name: raw.name,
  expiresInDays: raw.expiresInDays,
  scopes: Object.keys(raw)
    .filter((k) => k.startsWith('scope:'))
    .map((k) => k.slice('scope:'.length)),
}));

export const createApiKeyAction = memberAction({ role: 'admin', input: CreateKeyForm }, async (tx, ctx, input) => {
  const { key } = await createApiKey(tx, ctx, input);
  return { ok: true, data: { key } };
});

export const revokeApiKeyAction = memberAction({ role: 'admin', input: z.object({ keyId: z.uuid() }) }, async (tx, ctx, { keyId }) => {
  await revokeApiKey(tx, ctx, keyId);
  return { ok: true, message: (await getTranslations('apiKeys'))('revokedNotice') };
});
