'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { changeSubscription, ChoosePlanInput, CourseSalesInput, openBillingPortal, setCourseSales, startCheckout } from '@/lib/billing/service';

// Stripe pages are opened by the browser (data.redirectTo): a redirect thrown inside the action would be lost.
export const startCheckoutAction = memberAction({ role: 'owner', input: ChoosePlanInput }, async (tx, ctx, input) => {
  const { url } = await startCheckout(tx, ctx, input);
  return { ok: true, data: { redirectTo: url } };
});

export const changeSubscriptionAction = memberAction({ role: 'owner', input: ChoosePlanInput }, async (tx, ctx, input) => {
  await changeSubscription(tx, ctx, input);
  return { ok: true, message: (await getTranslations('billing'))('updated') };
});

export const openPortalAction = memberAction({ role: 'owner', input: z.object({}) }, async (tx, ctx) => {
  const { url } = await openBillingPortal(tx, ctx);
  return { ok: true, data: { redirectTo: url } };
});

export const setCourseSalesAction = memberAction({ role: 'admin', input: CourseSalesInput }, async (tx, ctx, input) => {
  await setCourseSales(tx, ctx, input);
  return { ok: true, message: (await getTranslations('billing'))('salesSaved') };
});
