'use server';

import { getTranslations } from 'next-intl/server';
import { memberAction } from '@/lib/auth/action';
import { reactivateMember, ReactivateMemberInput } from '@/lib/members/activation';
import { ChangeRoleInput, changeRole, InviteInput, inviteMember, RemoveMemberInput, removeMember, RevokeInvitationInput, revokeInvitation } from '@/lib/members/service';

export const inviteAction = memberAction({ role: 'admin', input: InviteInput }, async (tx, ctx, input) => {
  await inviteMember(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('invitationSent', { email: input.email }) };
});

export const revokeInvitationAction = memberAction({ role: 'admin', input: RevokeInvitationInput }, async (tx, ctx, input) => {
  await revokeInvitation(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('invitationWithdrawn') };
});

export const changeRoleAction = memberAction({ role: 'admin', input: ChangeRoleInput }, async (tx, ctx, input) => {
  await changeRole(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('roleUpdated') };
});

export const removeMemberAction = memberAction({ role: 'admin', input: RemoveMemberInput }, async (tx, ctx, input) => {
  await removeMember(tx, ctx, input);
  return { ok: true, message: (await getTranslations('actions'))('memberRemoved') };
});

/** A member deactivated by provisioning signs in again (a learner takes a seat again). */
export const reactivateMemberAction = memberAction({ role: 'admin', input: ReactivateMemberInput }, async (tx, ctx, input) => {
  const { name } = await reactivateMember(tx, ctx, input);
  return { ok: true, message: (await getTranslations('provisioning.members'))('reactivated', { name }) };
});
