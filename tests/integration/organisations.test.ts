import { afterAll, describe, expect, it } from 'vitest';
import { redeemHandoff } from '@/lib/auth/sign-in';
import { ConflictError, ValidationError } from '@/lib/errors';
import { checkSlugAvailability, createOrganisation, CreateOrganisationInput } from '@/lib/tenancy/tenants';
import { hostOf } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

const TABLES = ['tenants', 'users', 'tenant_settings', 'memberships', 'audit_log', 'outbox', 'auth_tokens'] as const;

/** Row counts of everything sign-up writes, read as the superuser (sees all tenants). */
async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) out[t] = (await owner.unsafe(`select count(*)::int as n from ${t}`))[0]!.n as number;
  return out;
}

describe('createOrganisation', () => {
  it('creates the tenant, its settings, the owner, an audit row, an event and a hand-off token', async () => {
    const before = await counts();
    const { tenant, handoffToken } = await createOrganisation({ orgName: 'Acme Academy', slug: 'acme', ownerName: 'Ada Lovelace', email: 'ada@acme.test', password: 'correct-horse-1' });
    expect(tenant).toMatchObject({ slug: 'acme', name: 'Acme Academy' });
    expect(handoffToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const after = await counts();
    expect(after).toEqual(Object.fromEntries(TABLES.map((t) => [t, before[t] + 1])));

    const [settings] = await owner`select display_name, primary_color, allow_self_signup from tenant_settings where tenant_id = ${tenant.id}`;
    expect(settings).toEqual({ display_name: 'Acme Academy', primary_color: '#4f46e5', allow_self_signup: false });
    const [member] = await owner`select m.role, u.name, u.email, u.password_hash from memberships m join users u on u.id = m.user_id where m.tenant_id = ${tenant.id}`;
    expect(member).toMatchObject({ role: 'owner', name: 'Ada Lovelace', email: 'ada@acme.test' });
    expect(member!.password_hash).toMatch(/^\$argon2id\$/);
    const [audit] = await owner`select action, actor_label, after from audit_log where tenant_id = ${tenant.id}`;
    expect(audit).toEqual({ action: 'organisation.created', actor_label: 'Ada Lovelace <ada@acme.test>', after: { name: 'Acme Academy', slug: 'acme' } });
    const [event] = await owner`select name, payload, sent_at from outbox where tenant_id = ${tenant.id}`;
    expect(event).toMatchObject({ name: 'lectern/organisation.created.v1', payload: { tenantId: tenant.id, slug: 'acme' }, sent_at: null });
    const [token] = await owner`select purpose, used_at, expires_at > now() as live, expires_at < now() + interval '5 minutes' as short from auth_tokens where tenant_id = ${tenant.id}`;
    expect(token).toEqual({ purpose: 'handoff', used_at: null, live: true, short: true });

    // The hand-off token signs the new owner in on the new subdomain.
    await expect(redeemHandoff(hostOf('acme'), handoffToken)).resolves.toMatchObject({ email: 'ada@acme.test', tenantId: tenant.id });
  });

  it('refuses a taken slug with a ConflictError on the slug field and writes nothing', async () => {
    await createOrganisation({ orgName: 'Initech', slug: 'initech', ownerName: 'Bill', email: 'bill@initech.test', password: 'correct-horse-2' });
    const before = await counts();
    const attempt = createOrganisation({ orgName: 'Initech Two', slug: 'initech', ownerName: 'Peter', email: 'peter@initech.test', password: 'correct-horse-3' });
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ field: 'slug', status: 409, message: 'That address is already taken.' });
    expect(await counts()).toEqual(before);
    const users = await owner`select 1 from users where email = 'peter@initech.test'`;
    expect(users).toHaveLength(0);
  });

  it('asks for the existing account’s password and creates nothing when it is wrong', async () => {
    await createOrganisation({ orgName: 'Umbrella', slug: 'umbrella', ownerName: 'Alice', email: 'alice@umbrella.test', password: 'alice-password-1' });
    const before = await counts();
    const attempt = createOrganisation({ orgName: 'Umbrella 2', slug: 'umbrella-two', ownerName: 'Alice', email: 'alice@umbrella.test', password: 'not-her-password' });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({ field: 'password' });
    expect(await counts()).toEqual(before);
    expect(await checkSlugAvailability('umbrella-two')).toEqual({ available: true, slug: 'umbrella-two' });
  });

  it('gives an existing user a second organisation when the password is right', async () => {
    await createOrganisation({ orgName: 'Hooli', slug: 'hooli', ownerName: 'Gavin', email: 'gavin@hooli.test', password: 'gavin-password-1' });
    const { tenant } = await createOrganisation({ orgName: 'Hooli XYZ', slug: 'hooli-xyz', ownerName: 'Someone Else', email: 'gavin@hooli.test', password: 'gavin-password-1' });
    const users = await owner`select id, name from users where email = 'gavin@hooli.test'`;
    expect(users).toHaveLength(1);
    expect(users[0]!.name).toBe('Gavin'); // the existing account is reused, not renamed
    const memberships = await owner`select t.slug, m.role from memberships m join tenants t on t.id = m.tenant_id where m.user_id = ${users[0]!.id} order by t.slug`;
    expect(memberships).toEqual([
      { slug: 'hooli', role: 'owner' },
      { slug: 'hooli-xyz', role: 'owner' },
    ]);
    expect(tenant.slug).toBe('hooli-xyz');
  });

  it('rolls the whole sign-up back when a simultaneous sign-up takes the same email', async () => {
    // A true race: both sign-ups must pass the "is this email taken?" check before either commits. Under load one
    // may finish first, and the other then (rightly) reuses the account; so race again until one collides, and
    // check what every round leaves behind.
    let collided = false;
    for (let round = 0; round < 8 && !collided; round += 1) {
      const before = await counts();
      const email = `rae${round}@race.test`;
      const slugs = [`race-${round}-a`, `race-${round}-b`];
      const results = await Promise.allSettled(slugs.map((slug) => createOrganisation({ orgName: `Race ${slug}`, slug, ownerName: 'Rae', email, password: 'correct-horse-5' })));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      const users = await owner`select id from users where email = ${email}`;
      expect(users).toHaveLength(1); // never two accounts for one email
      if (won.length === 2) {
        // Sequential after all: the second sign-up found the account (same password) and reused it.
        expect((await owner`select count(*)::int as n from memberships where user_id = ${users[0]!.id}`)[0]!.n).toBe(2);
        continue;
      }
      collided = true;
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
      expect(lost[0]!.reason).toMatchObject({ field: 'email' });
      // The loser's tenant row was written before its user insert failed: it must be gone, not orphaned.
      expect(await counts()).toEqual(Object.fromEntries(TABLES.map((t) => [t, before[t] + 1])));
      expect(await owner`select slug from tenants where slug = any(${slugs})`).toHaveLength(1);
    }
    expect(collided).toBe(true);
  });

  it('validates its input at the boundary: reserved, malformed and short slugs, weak passwords', () => {
    const base = { orgName: 'X Corp', ownerName: 'X', email: 'x@x.test', password: 'long-enough-pw' };
    expect(CreateOrganisationInput.safeParse({ ...base, slug: 'admin' }).success).toBe(false);
    expect(CreateOrganisationInput.safeParse({ ...base, slug: 'Bad Slug' }).success).toBe(false);
    expect(CreateOrganisationInput.safeParse({ ...base, slug: 'ab' }).success).toBe(false);
    expect(CreateOrganisationInput.safeParse({ ...base, slug: 'x-corp', password: 'short' }).success).toBe(false);
    expect(CreateOrganisationInput.parse({ ...base, slug: ' X-Corp ', email: ' X@X.test ' })).toMatchObject({ slug: 'x-corp', email: 'x@x.test' });
  });
});

describe('checkSlugAvailability', () => {
  it('reports a taken slug', async () => {
    await createOrganisation({ orgName: 'Stark', slug: 'stark', ownerName: 'Tony', email: 'tony@stark.test', password: 'correct-horse-4' });
    expect(await checkSlugAvailability('stark')).toEqual({ available: false, reason: 'That address is already taken.' });
    expect(await checkSlugAvailability('STARK')).toEqual({ available: false, reason: 'That address is already taken.' });
  });

  it('reports reserved and invalid slugs with a reason', async () => {
    expect(await checkSlugAvailability('www')).toEqual({ available: false, reason: 'That address is reserved.' });
    const invalid = await checkSlugAvailability('-nope-');
    expect(invalid.available).toBe(false);
    expect(invalid).toMatchObject({ reason: expect.stringMatching(/lower-case letters/) });
    expect(await checkSlugAvailability('a--b')).toEqual({ available: false, reason: 'Hyphens cannot be doubled.' });
    expect(await checkSlugAvailability('ab')).toEqual({ available: false, reason: 'Use at least 3 characters.' });
  });

  it('reports a free slug, normalised', async () => {
    expect(await checkSlugAvailability('  Wayne-Enterprises ')).toEqual({ available: true, slug: 'wayne-enterprises' });
  });
});
