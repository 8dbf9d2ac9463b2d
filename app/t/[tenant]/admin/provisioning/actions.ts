'use server';

import { getTranslations } from 'next-intl/server';
import { memberAction } from '@/lib/auth/action';
import { mapGroup, MapGroupInput } from '@/lib/scim/mapping';
import { createScimToken, CreateScimTokenInput, revokeScimToken, RevokeScimTokenInput } from '@/lib/scim/tokens';

/** The secret is returned once, to the admin who made it; only its hash is kept. */
export const createTokenAction = memberAction({ role: 'admin', input: CreateScimTokenInput }, async (tx, ctx, input) => {
  const { token } = await createScimToken(tx, ctx, input);
  return { ok: true, message: (await getTranslations('provisioning'))('created'), data: { token } };
});

export const revokeTokenAction = memberAction({ role: 'admin', input: RevokeScimTokenInput }, async (tx, ctx, input) => {
  await revokeScimToken(tx, ctx, input);
  return { ok: true, message: (await getTranslations('provisioning'))('tokenRevoked') };
});

export const mapGroupAction = memberAction({ role: 'admin', input: MapGroupInput }, async (tx, ctx, input) => {
  await mapGroup(tx, ctx, input);
  return { ok: true, message: (await getTranslations('provisioning'))('mapped') };
});
