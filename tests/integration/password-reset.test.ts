import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRef } from '@/lib/auth/context';
import { requestPasswordReset, resetPassword, ResetPasswordInput } from '@/lib/auth/password-reset';
import { authenticate, MAX_FAILED_SIGN_INS, SignInError } from '@/lib/auth/sign-in';
import { ValidationError } from '@/lib/errors';
import { addMember, hostOf, makeOrg, PASSWORD, tokenFromLink, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
let acme: Org;
let globex: Org;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
});
afterAll(() => owner.end());

async function mailsTo(email: string) {
  return owner<{ tenant_id: string; subject: string; text: string }[]>`select tenant_id, subject, text from emails where "to" = ${email} order by created_at`;
}

/** Ask for a reset link as the member would, and read the token from the email they receive. */
async function resetToken(tenant: TenantRef, email: string): Promise<string> {
  await requestPasswordReset(tenant, { email });
  const mails = await mailsTo(email);
  return tokenFromLink(mails.at(-1)!.text, 'reset-password');
}

describe('requestPasswordReset', () => {
  it('emails a member a one-hour reset link on their organisation’s address', async () => {
    const member = await addMember(acme.tenant, 'learner', { name: 'Rita Reset' });
    await requestPasswordReset(acme.tenant, { email: member.user.email });
    const mails = await mailsTo(member.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.tenant_id).toBe(acme.tenant.id);
    expect(mails[0]!.subject).toBe('Reset your Acme password');
    expect(mails[0]!.text).toMatch(/http:\/\/acme\.localhost:3000\/reset-password\/[A-Za-z0-9_-]{40,}/);
    expect(mails[0]!.text).toContain('Hello Rita Reset');
    const [token] = await owner`select purpose, used_at, expires_at between now() + interval '59 minutes' and now() + interval '61 minutes' as one_hour from auth_tokens where membership_id = ${member.membershipId}`;
    expect(token).toEqual({ purpose: 'password_reset', used_at: null, one_hour: true });
  });

  it('quietly sends nothing to an address that is not a member here', async () => {
    const globexOnly = await addMember(globex.tenant, 'learner');
    await expect(requestPasswordReset(acme.tenant, { email: 'stranger@nowhere.test' })).resolves.toBeUndefined();
    await expect(requestPasswordReset(acme.tenant, { email: globexOnly.user.email })).resolves.toBeUndefined();
    expect(await mailsTo('stranger@nowhere.test')).toHaveLength(0);
    expect(await mailsTo(globexOnly.user.email)).toHaveLength(0);
    expect(await owner`select 1 from auth_tokens where membership_id = ${globexOnly.membershipId}`).toHaveLength(0);
  });

  it('sends nothing to a member deactivated by provisioning (they could not sign in with it)', async () => {
    const gone = await addMember(acme.tenant, 'learner');
    await owner`update memberships set deactivated_at = now() where tenant_id = ${acme.tenant.id} and id = ${gone.membershipId}`;
    await requestPasswordReset(acme.tenant, { email: gone.user.email });
    expect(await mailsTo(gone.user.email)).toHaveLength(0);
    expect(await owner`select 1 from auth_tokens where membership_id = ${gone.membershipId}`).toHaveLength(0);
  });
});

describe('resetPassword', () => {
  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const member = await addMember(acme.tenant, 'learner');
    const token = await resetToken(acme.tenant, member.user.email);
    await expect(resetPassword(acme.tenant, { token, password: 'brand-new-password', confirm: 'brand-new-password' })).resolves.toEqual({ email: member.user.email });
    await expect(authenticate(hostOf('acme'), member.user.email, 'brand-new-password')).resolves.toMatchObject({ id: member.user.id });
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).rejects.toBeInstanceOf(SignInError);
  });

  it('accepts a link once', async () => {
    const member = await addMember(acme.tenant, 'learner');
    const token = await resetToken(acme.tenant, member.user.email);
    await resetPassword(acme.tenant, { token, password: 'first-new-password', confirm: 'first-new-password' });
    const again = resetPassword(acme.tenant, { token, password: 'second-new-password', confirm: 'second-new-password' });
    await expect(again).rejects.toBeInstanceOf(ValidationError);
    await expect(again).rejects.toMatchObject({ field: 'token', message: expect.stringMatching(/expired or was already used/) });
    await expect(authenticate(hostOf('acme'), member.user.email, 'first-new-password')).resolves.toMatchObject({ id: member.user.id });
  });

  it('refuses an expired link and leaves the password alone', async () => {
    const member = await addMember(acme.tenant, 'learner');
    const token = await resetToken(acme.tenant, member.user.email);
    await owner`update auth_tokens set expires_at = now() - interval '1 second' where membership_id = ${member.membershipId}`;
    await expect(resetPassword(acme.tenant, { token, password: 'too-late-password', confirm: 'too-late-password' })).rejects.toBeInstanceOf(ValidationError);
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).resolves.toMatchObject({ id: member.user.id });
  });

  it('refuses an acme link presented to globex, and it still works on acme', async () => {
    const both = await addMember(acme.tenant, 'learner', { email: 'both@orgs.test' });
    await addMember(globex.tenant, 'learner', { email: 'both@orgs.test' });
    const token = await resetToken(acme.tenant, both.user.email);
    await expect(resetPassword(globex.tenant, { token, password: 'cross-tenant-pw', confirm: 'cross-tenant-pw' })).rejects.toBeInstanceOf(ValidationError);
    await expect(authenticate(hostOf('globex'), both.user.email, PASSWORD)).resolves.toMatchObject({ tenantId: globex.tenant.id });
    await resetPassword(acme.tenant, { token, password: 'same-tenant-pw', confirm: 'same-tenant-pw' });
    await expect(authenticate(hostOf('acme'), both.user.email, 'same-tenant-pw')).resolves.toMatchObject({ tenantId: acme.tenant.id });
  });

  it('does not accept a sign-up hand-off token as a reset link', async () => {
    const org = await makeOrg('initech');
    await expect(resetPassword(org.tenant, { token: org.handoffToken, password: 'hijacked-password', confirm: 'hijacked-password' })).rejects.toBeInstanceOf(ValidationError);
    await expect(authenticate(hostOf('initech'), org.owner.user.email, PASSWORD)).resolves.toMatchObject({ tenantId: org.tenant.id });
  });

  it('ends a lockout, so the member can sign in with the new password straight away', async () => {
    const member = await addMember(acme.tenant, 'learner');
    await owner`insert into sign_in_attempts (email, succeeded) select ${member.user.email}, false from generate_series(1, ${MAX_FAILED_SIGN_INS})`;
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).rejects.toMatchObject({ failure: { reason: 'locked' } });
    const token = await resetToken(acme.tenant, member.user.email);
    await resetPassword(acme.tenant, { token, password: 'unlocked-password', confirm: 'unlocked-password' });
    await expect(authenticate(hostOf('acme'), member.user.email, 'unlocked-password')).resolves.toMatchObject({ id: member.user.id });
  });
});

describe('ResetPasswordInput', () => {
  it('rejects a confirmation that does not match, on the confirm field', () => {
    const result = ResetPasswordInput.safeParse({ token: 't', password: 'long-enough-1', confirm: 'long-enough-2' });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['confirm'], message: 'The two passwords do not match.' })]);
  });

  it('rejects a short password and accepts a good pair', () => {
    expect(ResetPasswordInput.safeParse({ token: 't', password: 'short', confirm: 'short' }).error!.issues[0]!.path).toEqual(['password']);
    expect(ResetPasswordInput.safeParse({ token: 't', password: 'long-enough-1', confirm: 'long-enough-1' }).success).toBe(true);
  });
});

describe('after a reset', () => {
  it('records when the password changed (ending older sessions) and tells the person by email', async () => {
    const member = await addMember(acme.tenant, 'learner');
    const before = Date.now();
    await resetPassword(acme.tenant, { token: await resetToken(acme.tenant, member.user.email), password: 'brand-new-password', confirm: 'brand-new-password' });
    const [row] = await owner`select password_changed_at from users where id = ${member.user.id}`;
    expect(new Date(row!.password_changed_at as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const mails = await mailsTo(member.user.email);
    expect(mails.at(-1)!.subject).toBe('Your Acme password was changed');
    expect(mails.at(-1)!.text).not.toMatch(/reset-password\/[A-Za-z0-9_-]{20,}/);
  });
});
