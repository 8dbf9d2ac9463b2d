import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, withGlobal, withTenant } from '@/db/client';
import { createOrganisation } from '@/lib/tenancy/tenants';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
let acme: string;
let globex: string;

beforeAll(async () => {
  acme = (await createOrganisation({ orgName: 'Acme', slug: 'acme', ownerName: 'Ada', email: 'ada@acme.test', password: 'correct-horse-1' })).tenant.id;
  globex = (await createOrganisation({ orgName: 'Globex', slug: 'globex', ownerName: 'Gil', email: 'gil@globex.test', password: 'correct-horse-2' })).tenant.id;
});
afterAll(() => owner.end());

describe('row-level security', () => {
  it('shows a tenant only its own rows', async () => {
    const rows = await withTenant(acme, (tx) => tx.select().from(schema.memberships));
    expect(rows).toHaveLength(1);
    expect(rows.every((r) => r.tenantId === acme)).toBe(true);
  });

  it('shows nothing when no tenant is set', async () => {
    const rows = await withGlobal((tx) => tx.select().from(schema.memberships));
    expect(rows).toHaveLength(0);
  });

  it('refuses to insert a row for another tenant', async () => {
    await expect(
      withTenant(acme, (tx) => tx.insert(schema.emails).values({ tenantId: globex, to: 'x@y.z', subject: 's', text: 't' })),
    ).rejects.toThrow();
  });

  it('cannot update or delete another tenant’s rows', async () => {
    const updated = await withTenant(acme, (tx) => tx.execute(sql`update memberships set role = 'learner' where tenant_id = ${globex} returning id`));
    expect(updated).toHaveLength(0);
    const deleted = await withTenant(acme, (tx) => tx.execute(sql`delete from memberships where tenant_id = ${globex} returning id`));
    expect(deleted).toHaveLength(0);
    const [row] = await owner`select count(*)::int as n from memberships where tenant_id = ${globex}`;
    expect(row!.n).toBe(1);
  });

  it('cannot move a row to another tenant', async () => {
    await expect(withTenant(acme, (tx) => tx.execute(sql`update memberships set tenant_id = ${globex}`))).rejects.toThrow();
  });

  it('runs tenant transactions as the app role', async () => {
    const [row] = await withTenant(acme, (tx) => tx.execute<{ r: string }>(sql`select current_user as r`));
    expect(row!.r).toBe('lectern_app');
  });
});
