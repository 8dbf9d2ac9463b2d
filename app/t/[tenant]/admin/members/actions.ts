'use server';

import { memberAction } from '@/lib/auth/action';
import { ChangeRoleInput, changeRole, InviteInput, inviteMember, RemoveMemberInput, removeMember, RevokeInvitationInput, revokeInvitation } from '@/lib/members/service';

export const inviteAction = memberAction({ role: 'admin', input: InviteInput }, async (tx, ctx, input) => {
  await inviteMember(tx, ctx, input);
  return { ok: true, message: `Invitation sent to ${input.email}.` };
});

export const revokeInvitationAction = memberAction({ role: 'admin', input: RevokeInvitationInput }, async (tx, ctx, input) => {
  await revokeInvitation(tx, ctx, input);
  return { ok: true, message: 'Invitation withdrawn.' };
});

export const changeRoleAction = memberAction({ role: 'admin', input: ChangeRoleInput }, async (tx, ctx, input) => {
  await changeRole(tx, ctx, input);
  return { ok: true, message: 'Role updated.' };
});

export const removeMemberAction = memberAction({ role: 'admin', input: RemoveMemberInput }, async (tx, ctx, input) => {
  await removeMember(tx, ctx, input);
  return { ok: true, message: 'Member removed.' };
});
