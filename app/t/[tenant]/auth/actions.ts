'use server';

import { AuthError } from 'next-auth';
import { getTranslations } from 'next-intl/server';
import { unstable_rethrow } from 'next/navigation';
import { failureState, zodFieldErrors } from '@/lib/auth/action';
import type { ActionState } from '@/lib/auth/action-state';
import { currentTenant } from '@/lib/auth/guard';
import { signIn, signOut } from '@/lib/auth';
import { RequestResetInput, requestPasswordReset, ResetPasswordInput, resetPassword } from '@/lib/auth/password-reset';
import { AcceptInvitationInput, acceptInvitation, SelfSignUpInput, selfSignUp } from '@/lib/members/service';
import { safeCallbackPath, signInFailureMessage } from '@/lib/auth/messages';

/**
 * A server action's redirect is rendered internally with the server's own Host, which would bypass the
 * organisation rewrite in proxy.ts; so tenant actions hand the destination to the form, which navigates.
 */
function navigateTo(path: string): ActionState {
  return { ok: true, data: { redirectTo: safeCallbackPath(path) } };
}

/** Sign in with the organisation's own credentials; Auth.js binds the session to this host. */
async function signInWithPassword(email: string, password: string, callbackUrl: string, formData: FormData): Promise<ActionState> {
  try {
    await signIn('credentials', { email, password, redirect: false });
    return navigateTo(callbackUrl);
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof AuthError) return { ok: false, message: await signInFailureMessage(e), values: { email } };
    return failureState(e, formData);
  }
}

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const email = String(formData.get('email') ?? '');
  const password = String(formData.get('password') ?? '');
  if (!email || !password) return { ok: false, message: (await getTranslations('actions'))('enterEmailAndPassword'), values: { email } };
  return signInWithPassword(email, password, String(formData.get('callbackUrl') ?? '/'), formData);
}

export async function signOutAction(): Promise<ActionState> {
  await signOut({ redirect: false });
  return navigateTo('/sign-in?signedOut=1');
}

export async function signUpAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const tenant = await currentTenant();
  if (!tenant) return { ok: false, message: (await getTranslations('actions'))('noOrganisation') };
  const parsed = SelfSignUpInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors: await zodFieldErrors(parsed.error), values: { name: String(formData.get('name') ?? ''), email: String(formData.get('email') ?? '') } };
  try {
    await selfSignUp(tenant, parsed.data);
  } catch (e) {
    return failureState(e, formData);
  }
  return signInWithPassword(parsed.data.email, parsed.data.password, '/', formData);
}

export async function requestResetAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const tenant = await currentTenant();
  if (!tenant) return { ok: false, message: (await getTranslations('actions'))('noOrganisation') };
  const parsed = RequestResetInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: await zodFieldErrors(parsed.error), message: (await getTranslations('actions'))('enterValidEmail') };
  try {
    await requestPasswordReset(tenant, parsed.data);
  } catch (e) {
    return failureState(e, formData);
  }
  return { ok: true, message: (await getTranslations('actions'))('resetSent') };
}

export async function resetPasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const tenant = await currentTenant();
  if (!tenant) return { ok: false, message: (await getTranslations('actions'))('noOrganisation') };
  const parsed = ResetPasswordInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors: await zodFieldErrors(parsed.error) };
  try {
    await resetPassword(tenant, parsed.data);
  } catch (e) {
    return failureState(e, formData);
  }
  return navigateTo('/sign-in?reset=1');
}

export async function acceptInvitationAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const tenant = await currentTenant();
  if (!tenant) return { ok: false, message: (await getTranslations('actions'))('noOrganisation') };
  const parsed = AcceptInvitationInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('actions'))('correctFields'), fieldErrors: await zodFieldErrors(parsed.error), values: { name: String(formData.get('name') ?? '') } };
  let email: string;
  try {
    ({ email } = await acceptInvitation(tenant, parsed.data));
  } catch (e) {
    return failureState(e, formData);
  }
  return signInWithPassword(email, parsed.data.password, '/', formData);
}
