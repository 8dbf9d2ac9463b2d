import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, withTenant } from '@/db/client';
import { makeOrg, type Org } from '../support/factories';
import { ownerSql } from '../support/owner';

// The database's own guarantees, read from the catalogue: a new migration that forgets any of them fails here.
const owner = ownerSql();
afterAll(() => owner.end());

/** Tables in public with a tenant_id column: the tenant-owned ones. */
async function tenantTables(): Promise<string[]> {
  const rows = await owner<{ relname: string }[]>`
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`;
  return rows.map((r) => r.relname);
}

describe('tenant-owned tables in the catalogue', () => {
  let tables: string[];
  beforeAll(async () => {
    tables = await tenantTables();
  });

  it('finds the tenant-owned tables (the walk is not vacuous)', () => {
    expect(tables).toEqual(expect.arrayContaining(['audit_log', 'auth_tokens', 'brand_assets', 'emails', 'invitations', 'memberships', 'outbox', 'tenant_settings']));
  });

  it('keeps every table without tenant_id on the reviewed list of global tables', async () => {
    // A new table without tenant_id is either a mistake or a deliberate global table: add it here on purpose.
    const rows = await owner<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      order by c.relname`;
    expect(rows.map((r) => r.relname).sort()).toEqual(['accounts', 'cron_ticks', 'sessions', 'sign_in_attempts', 'stripe_events', 'tenants', 'users', 'verification_tokens']);
  });

  it('enables and forces row-level security on every one', async () => {
    const rows = await owner<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relnamespace = 'public'::regnamespace and relname = any(${tables})`;
    expect(rows).toHaveLength(tables.length);
    for (const r of rows) expect({ table: r.relname, enabled: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({ table: r.relname, enabled: true, forced: true });
  });

  it('gives every one a policy filtering both reads and writes by app.tenant_id, and no permissive policy that does not', async () => {
    const policies = await owner<{ tablename: string; policyname: string; permissive: string; cmd: string; qual: string | null; with_check: string | null }[]>`
      select tablename, policyname, permissive, cmd, qual, with_check from pg_policies where schemaname = 'public'`;
    for (const table of tables) {
      const mine = policies.filter((p) => p.tablename === table);
      const isolating = mine.filter(
        (p) => p.cmd === 'ALL' && /tenant_id\s*=/.test(p.qual ?? '') && /app\.tenant_id/.test(p.qual ?? '') && /app\.tenant_id/.test(p.with_check ?? ''),
      );
      expect(isolating.map((p) => p.policyname), `${table} has no tenant isolation policy`).not.toHaveLength(0);
      // Permissive policies are OR-ed: one without the tenant predicate would open the table.
      for (const p of mine.filter((p) => p.permissive === 'PERMISSIVE')) {
        if (p.qual !== null) expect(p.qual, `${table}.${p.policyname} USING`).toMatch(/app\.tenant_id/);
        if (p.with_check !== null) expect(p.with_check, `${table}.${p.policyname} WITH CHECK`).toMatch(/app\.tenant_id/);
      }
    }
  });

  it('leads every primary key with tenant_id', async () => {
    const rows = await owner<{ relname: string; first: string | null }[]>`
      select c.relname, (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = k.conkey[1]) as first
      from pg_class c left join pg_constraint k on k.conrelid = c.oid and k.contype = 'p'
      where c.relnamespace = 'public'::regnamespace and c.relname = any(${tables})`;
    expect(rows).toHaveLength(tables.length);
    for (const r of rows) expect({ table: r.relname, first: r.first }).toEqual({ table: r.relname, first: 'tenant_id' });
  });

  it('leads every index with tenant_id', async () => {
    const rows = await owner<{ index: string; first: string }[]>`
      select i.indexrelid::regclass::text as index, a.attname as first
      from pg_index i join pg_class c on c.oid = i.indrelid
      join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where c.relnamespace = 'public'::regnamespace and c.relname = any(${tables})`;
    expect(rows.length).toBeGreaterThan(tables.length);
    for (const r of rows) expect({ index: r.index, first: r.first }).toEqual({ index: r.index, first: 'tenant_id' });
  });

  it('makes every foreign key between tenant tables carry tenant_id on both sides, in the same position', async () => {
    const rows = await owner<{ name: string; from: string; to: string; cols: string[]; refcols: string[] }[]>`
      select k.conname as name, c.relname as from, r.relname as to,
        array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as cols,
        array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as refcols
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
      where k.contype = 'f' and c.relname = any(${tables}) and r.relname = any(${tables})
        and c.relnamespace = 'public'::regnamespace and r.relnamespace = 'public'::regnamespace`;
    // invitations → memberships, auth_tokens → memberships, tenant_settings → brand_assets at least.
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const fk of rows) {
      const i = fk.cols.indexOf('tenant_id');
      expect(i, `${fk.name} (${fk.from} → ${fk.to}) omits tenant_id`).toBeGreaterThanOrEqual(0);
      expect(fk.refcols[i], `${fk.name} pairs tenant_id with ${fk.refcols[i]}`).toBe('tenant_id');
    }
  });
});

describe('the application role', () => {
  it('exists, is not a superuser and cannot bypass row-level security', async () => {
    const rows = await owner<{ rolsuper: boolean; rolbypassrls: boolean }[]>`select rolsuper, rolbypassrls from pg_roles where rolname = 'lectern_app'`;
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('owns no table, sequence, view or type in public, and cannot create any', async () => {
    const relations = await owner`
      select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relowner = 'lectern_app'::regrole`;
    const types = await owner`select typname from pg_type where typnamespace = 'public'::regnamespace and typowner = 'lectern_app'::regrole`;
    const functions = await owner`select proname from pg_proc where pronamespace = 'public'::regnamespace and proowner = 'lectern_app'::regrole`;
    const [schemaRow] = await owner<{ owns: boolean; create: boolean }[]>`
      select nspowner = 'lectern_app'::regrole as owns, has_schema_privilege('lectern_app', 'public', 'CREATE') as create
      from pg_namespace where nspname = 'public'`;
    expect([...relations]).toEqual([]);
    expect([...types]).toEqual([]);
    expect([...functions]).toEqual([]);
    expect(schemaRow).toEqual({ owns: false, create: false });
  });

  it('may not update or delete audit rows (privilege, not just policy)', async () => {
    const [row] = await owner<{ update: boolean; delete: boolean; insert: boolean }[]>`
      select has_table_privilege('lectern_app', 'public.audit_log', 'UPDATE') as update,
             has_table_privilege('lectern_app', 'public.audit_log', 'DELETE') as delete,
             has_table_privilege('lectern_app', 'public.audit_log', 'INSERT') as insert`;
    expect(row).toEqual({ update: false, delete: false, insert: true });
  });
});

describe('guarantees the database enforces on tenant transactions', () => {
  let acme: Org;
  let globex: Org;
  beforeAll(async () => {
    acme = await makeOrg('acme');
    globex = await makeOrg('globex');
  });

  it('refuses an invitation in acme whose inviter is a globex membership (composite foreign key)', async () => {
    const attempt = withTenant(acme.tenant.id, (tx) =>
      tx.insert(schema.invitations).values({
        tenantId: acme.tenant.id,
        email: 'mallory@evil.test',
        role: 'owner',
        tokenHash: 'x'.repeat(64),
        invitedBy: globex.owner.membershipId,
        expiresAt: new Date(Date.now() + 60_000),
      }),
    );
    await expect(attempt).rejects.toMatchObject({ cause: { code: '23503' } });
    const n = (await owner`select count(*)::int as n from invitations`)[0]!.n as number;
    expect(n).toBe(0);
  });

  it('refuses an acme password-reset token that points at a globex membership', async () => {
    const attempt = withTenant(acme.tenant.id, (tx) =>
      tx.insert(schema.authTokens).values({
        tenantId: acme.tenant.id,
        membershipId: globex.owner.membershipId,
        purpose: 'password_reset',
        tokenHash: 'y'.repeat(64),
        expiresAt: new Date(Date.now() + 60_000),
      }),
    );
    await expect(attempt).rejects.toMatchObject({ cause: { code: '23503' } });
  });

  it('refuses to point acme’s logo at a globex brand asset', async () => {
    const [asset] = await owner<{ id: string }[]>`
      insert into brand_assets (tenant_id, sha256, content_type, data) values (${globex.tenant.id}, ${'z'.repeat(64)}, 'image/png', '\\x00'::bytea) returning id`;
    const attempt = withTenant(acme.tenant.id, (tx) => tx.execute(sql`update tenant_settings set logo_asset_id = ${asset!.id} where tenant_id = ${acme.tenant.id}`));
    await expect(attempt).rejects.toMatchObject({ cause: { code: '23503' } });
  });

  it('keeps the audit log append-only for the app: update and delete fail, rows stay', async () => {
    const before = (await owner`select count(*)::int as n from audit_log where tenant_id = ${acme.tenant.id}`)[0]!.n as number;
    expect(before).toBeGreaterThan(0); // organisation.created
    await expect(withTenant(acme.tenant.id, (tx) => tx.execute(sql`update audit_log set action = 'tampered'`))).rejects.toMatchObject({ cause: { code: '42501' } });
    await expect(withTenant(acme.tenant.id, (tx) => tx.execute(sql`delete from audit_log`))).rejects.toMatchObject({ cause: { code: '42501' } });
    const rows = await owner`select action from audit_log where tenant_id = ${acme.tenant.id}`;
    expect(rows).toHaveLength(before);
    expect(rows.map((r) => r.action)).not.toContain('tampered');
  });

  it('still lets the app append to the audit log', async () => {
    await withTenant(acme.tenant.id, (tx) =>
      tx.insert(schema.auditLog).values({ tenantId: acme.tenant.id, actorLabel: 'test', action: 'test.appended', targetType: 'test' }),
    );
    const n = (await owner`select count(*)::int as n from audit_log where action = 'test.appended'`)[0]!.n as number;
    expect(n).toBe(1);
  });
});
