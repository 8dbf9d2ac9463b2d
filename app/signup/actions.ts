'use server';

import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { failureState, zodFieldErrors } from '@/lib/auth/action';
import type { ActionState } from '@/lib/auth/action-state';
import { createOrganisation, CreateOrganisationInput } from '@/lib/tenancy/tenants';
import { tenantOrigin } from '@/lib/tenancy/urls';

export async function createOrganisationAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = CreateOrganisationInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const values = Object.fromEntries([...formData].filter(([k, v]) => typeof v === 'string' && k !== 'password')) as Record<string, string>;
    return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors: await zodFieldErrors(parsed.error), values };
  }
  let target: string;
  try {
    const { tenant, handoffToken } = await createOrganisation(parsed.data);
    target = `${tenantOrigin(tenant.slug)}/auth/handoff?token=${encodeURIComponent(handoffToken)}`;
  } catch (e) {
    return failureState(e, formData);
  }
  redirect(target);
}
