'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { BrandingInput, LogoInput, removeLogo, setLogo, updateBranding } from '@/lib/branding/service';

export const updateBrandingAction = memberAction({ role: 'admin', input: BrandingInput }, async (tx, ctx, input) => {
  await updateBranding(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('brandingSaved') };
});

export const uploadLogoAction = memberAction({ role: 'admin', input: LogoInput }, async (tx, ctx, input) => {
  await setLogo(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('logoUpdated') };
});

export const removeLogoAction = memberAction({ role: 'admin', input: z.object({}) }, async (tx, ctx) => {
  await removeLogo(tx, ctx);
  return { ok: true, message: (await getTranslations('actions'))('logoRemoved') };
});
