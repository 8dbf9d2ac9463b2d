import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPasswordReset } from '@/lib/auth/password-reset';
import { authenticate, LOCKOUT_WINDOW_MS, MAX_FAILED_SIGN_INS, redeemHandoff, SignInError, type SignInFailure } from '@/lib/auth/sign-in';
import { createOrganisation } from '@/lib/tenancy/tenants';
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

/** The failure a sign-in attempt ends with (fails the test if it succeeds or throws something else). */
async function failure(attempt: Promise<unknown>): Promise<SignInFailure> {
  const e = await attempt.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'sign-in should have been refused').toBeInstanceOf(SignInError);
  return (e as SignInError).failure;
}

describe('authenticate', () => {
  it('signs a member in on their organisation’s host and records the sign-in', async () => {
    const user = await authenticate(hostOf('acme'), acme.owner.user.email, PASSWORD);
    expect(user).toEqual({ id: acme.owner.user.id, email: acme.owner.user.email, name: acme.owner.user.name, tenantId: acme.tenant.id });
    const [m] = await owner`select last_sign_in_at from memberships where tenant_id = ${acme.tenant.id} and id = ${acme.owner.membershipId}`;
    expect(m!.last_sign_in_at).toBeInstanceOf(Date);
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const user = await authenticate(hostOf('acme'), `  ${acme.owner.user.email.toUpperCase()} `, PASSWORD);
    expect(user.id).toBe(acme.owner.user.id);
  });

  it('gives the same "invalid" answer for a wrong password, an unknown email and a bad host', async () => {
    const member = await addMember(acme.tenant, 'learner');
    expect(await failure(authenticate(hostOf('acme'), member.user.email, 'wrong-password!'))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('acme'), 'nobody@nowhere.test', PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('nosuchorg'), member.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate('localhost:3000', member.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('www'), member.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(null, member.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('acme'), member.user.email, undefined))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('acme'), 'not-an-email', PASSWORD))).toEqual({ reason: 'invalid' });
  });

  it('does not let a member of acme sign in on globex, even with the right password', async () => {
    const member = await addMember(acme.tenant, 'admin');
    expect(await failure(authenticate(hostOf('globex'), member.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    expect(await failure(authenticate(hostOf('globex'), acme.owner.user.email, PASSWORD))).toEqual({ reason: 'invalid' });
    // ...while the same credentials work on acme.
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).resolves.toMatchObject({ tenantId: acme.tenant.id });
  });

  it('signs a member of two organisations into whichever host they use', async () => {
    const both = await addMember(acme.tenant, 'learner', { email: 'both@orgs.test' });
    await addMember(globex.tenant, 'instructor', { email: 'both@orgs.test' });
    await expect(authenticate(hostOf('acme'), both.user.email, PASSWORD)).resolves.toMatchObject({ id: both.user.id, tenantId: acme.tenant.id });
    await expect(authenticate(hostOf('globex'), both.user.email, PASSWORD)).resolves.toMatchObject({ id: both.user.id, tenantId: globex.tenant.id });
  });
});

describe('lockout', () => {
  it(`locks the account after ${MAX_FAILED_SIGN_INS} failures, even against the right password`, async () => {
    const member = await addMember(acme.tenant, 'learner');
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      expect(await failure(authenticate(hostOf('acme'), member.user.email, `wrong-password-${i}`))).toEqual({ reason: 'invalid' });
    }
    const locked = await failure(authenticate(hostOf('acme'), member.user.email, PASSWORD));
    expect(locked.reason).toBe('locked');
    const minutes = (locked as { retryAfterMinutes: number }).retryAfterMinutes;
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(LOCKOUT_WINDOW_MS / 60_000);
    expect(minutes).toBe(15); // the failures were just now: the whole window remains
    // The lock is per account: other people still sign in.
    await expect(authenticate(hostOf('acme'), acme.owner.user.email, PASSWORD)).resolves.toMatchObject({ id: acme.owner.user.id });
  });

  it('does not lock after nine failures', async () => {
    const member = await addMember(acme.tenant, 'learner');
    await insertAttempts(member.user.email, MAX_FAILED_SIGN_INS - 1, { minutesAgo: 1, succeeded: false });
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).resolves.toMatchObject({ id: member.user.id });
  });

  it('ignores failures older than 15 minutes', async () => {
    const member = await addMember(acme.tenant, 'learner');
    await insertAttempts(member.user.email, 20, { minutesAgo: 16, succeeded: false });
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).resolves.toMatchObject({ id: member.user.id });
  });

  it('tells a locked-out person when they can try again', async () => {
    const member = await addMember(acme.tenant, 'learner');
    await insertAttempts(member.user.email, MAX_FAILED_SIGN_INS, { minutesAgo: 14, succeeded: false });
    expect(await failure(authenticate(hostOf('acme'), member.user.email, PASSWORD))).toEqual({ reason: 'locked', retryAfterMinutes: 1 });
  });

  it('counts failures only since the last successful sign-in', async () => {
    const member = await addMember(acme.tenant, 'learner');
    await insertAttempts(member.user.email, MAX_FAILED_SIGN_INS - 1, { minutesAgo: 5, succeeded: false });
    await authenticate(hostOf('acme'), member.user.email, PASSWORD);
    await insertAttempts(member.user.email, MAX_FAILED_SIGN_INS - 1, { minutesAgo: 0, succeeded: false });
    await expect(authenticate(hostOf('acme'), member.user.email, PASSWORD)).resolves.toMatchObject({ id: member.user.id });
    // ...and the tenth failure since that success locks.
    await insertAttempts(member.user.email, MAX_FAILED_SIGN_INS, { minutesAgo: 0, succeeded: false });
    expect((await failure(authenticate(hostOf('acme'), member.user.email, PASSWORD))).reason).toBe('locked');
  });

  it('locks the account on every host, not just where the failures happened', async () => {
    const both = await addMember(acme.tenant, 'learner', { email: 'locked-both@orgs.test' });
    await addMember(globex.tenant, 'learner', { email: 'locked-both@orgs.test' });
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await failure(authenticate(hostOf('acme'), both.user.email, 'wrong-password!'));
    expect((await failure(authenticate(hostOf('globex'), both.user.email, PASSWORD))).reason).toBe('locked');
  });
});

describe('lockout outside the sign-in form', () => {
  it('counts password guesses made through organisation sign-up, self-registration and invitations', async () => {
    const victim = await addMember(globex.tenant, 'learner');
    const guess = (i: number) =>
      createOrganisation({ orgName: 'Guess', slug: `guess-${i}-${Date.now()}`, ownerName: 'Mallory', email: victim.user.email, password: `guess-number-${i}` });
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await expect(guess(i)).rejects.toMatchObject({ code: 'accountExistsForOrg' });
    // The right password no longer helps, in that form or on the sign-in form.
    await expect(
      createOrganisation({ orgName: 'Guess', slug: `guess-right-${Date.now()}`, ownerName: 'Mallory', email: victim.user.email, password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'accountLocked' });
    expect((await failure(authenticate(hostOf('globex'), victim.user.email, PASSWORD))).reason).toBe('locked');
  });

  it('counts parallel guesses: at most the limit are ever checked', async () => {
    const member = await addMember(acme.tenant, 'learner');
    const results = await Promise.all(
      Array.from({ length: MAX_FAILED_SIGN_INS + 6 }, (_, i) => failure(authenticate(hostOf('acme'), member.user.email, `parallel-wrong-${i}`))),
    );
    expect(results.filter((r) => r.reason === 'invalid')).toHaveLength(MAX_FAILED_SIGN_INS);
    expect(results.filter((r) => r.reason === 'locked')).toHaveLength(6);
    const [row] = await owner`select count(*)::int as n from sign_in_attempts where email = ${member.user.email}`;
    expect(row!.n).toBe(MAX_FAILED_SIGN_INS);
  });
});

async function insertAttempts(email: string, n: number, opts: { minutesAgo: number; succeeded: boolean }) {
  await owner`
    insert into sign_in_attempts (email, succeeded, created_at)
    select ${email}, ${opts.succeeded}, now() - make_interval(mins => ${opts.minutesAgo}) from generate_series(1, ${n})`;
}

describe('redeemHandoff', () => {
  it('signs the new owner in once, on their new organisation', async () => {
    const org = await makeOrg('initech');
    await expect(redeemHandoff(hostOf('initech'), org.handoffToken)).resolves.toEqual({
      id: org.owner.user.id,
      email: org.owner.user.email,
      name: org.owner.user.name,
      tenantId: org.tenant.id,
    });
    expect(await failure(redeemHandoff(hostOf('initech'), org.handoffToken))).toEqual({ reason: 'invalid' });
  });

  it('refuses an expired token', async () => {
    const org = await makeOrg('umbrella');
    await owner`update auth_tokens set expires_at = now() - interval '1 second' where tenant_id = ${org.tenant.id} and purpose = 'handoff'`;
    expect(await failure(redeemHandoff(hostOf('umbrella'), org.handoffToken))).toEqual({ reason: 'invalid' });
  });

  it('refuses acme’s token on globex’s host, and it still works on acme afterwards', async () => {
    const org = await makeOrg('hooli');
    expect(await failure(redeemHandoff(hostOf('globex'), org.handoffToken))).toEqual({ reason: 'invalid' });
    expect(await failure(redeemHandoff('localhost:3000', org.handoffToken))).toEqual({ reason: 'invalid' });
    await expect(redeemHandoff(hostOf('hooli'), org.handoffToken)).resolves.toMatchObject({ tenantId: org.tenant.id });
  });

  it('refuses made-up, oversized and non-string tokens', async () => {
    expect(await failure(redeemHandoff(hostOf('acme'), 'made-up-token'))).toEqual({ reason: 'invalid' });
    expect(await failure(redeemHandoff(hostOf('acme'), 'a'.repeat(101)))).toEqual({ reason: 'invalid' });
    expect(await failure(redeemHandoff(hostOf('acme'), undefined))).toEqual({ reason: 'invalid' });
  });

  it('does not accept a password-reset token as a hand-off', async () => {
    await requestPasswordReset(acme.tenant, { email: acme.owner.user.email });
    const [mail] = await owner`select text from emails where tenant_id = ${acme.tenant.id} and "to" = ${acme.owner.user.email} order by created_at desc limit 1`;
    const resetToken = tokenFromLink(mail!.text as string, 'reset-password');
    expect(await failure(redeemHandoff(hostOf('acme'), resetToken))).toEqual({ reason: 'invalid' });
  });
});
