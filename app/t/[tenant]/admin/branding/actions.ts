'use server';

import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { BrandingInput, LogoInput, removeLogo, setLogo, updateBranding } from '@/lib/branding/service';

export const updateBrandingAction = memberAction({ role: 'admin', input: BrandingInput }, async (tx, ctx, input) => {
  await updateBranding(tx, ctx, input);
  return { ok: true, message: 'Branding saved.' };
});

export const uploadLogoAction = memberAction({ role: 'admin', input: LogoInput }, async (tx, ctx, input) => {
  await setLogo(tx, ctx, input);
  return { ok: true, message: 'Logo updated.' };
});

export const removeLogoAction = memberAction({ role: 'admin', input: z.object({}) }, async (tx, ctx) => {
  await removeLogo(tx, ctx);
  return { ok: true, message: 'Logo removed.' };
});
