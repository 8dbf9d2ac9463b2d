import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { BrandingInput, getBranding, getLogoAsset, removeLogo, setLogo, updateBranding } from '@/lib/branding/service';
import { ForbiddenError, ValidationError } from '@/lib/errors';
import { addMember, makeOrg, type Org } from '../support/factories';
import { GIF_1x1, PNG_1x1 } from '../support/images';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
let acme: Org;
let globex: Org;
let admin: MemberContext;

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  admin = await addMember(acme.tenant, 'admin');
});
afterAll(() => owner.end());

const file = (bytes: Buffer, name: string, type = '') => new File([new Uint8Array(bytes)], name, { type });

function update(ctx: MemberContext, raw: Record<string, unknown>) {
  return withTenant(ctx.tenant.id, (tx) => updateBranding(tx, ctx, BrandingInput.parse(raw)));
}
function upload(ctx: MemberContext, logo: File) {
  return withTenant(ctx.tenant.id, (tx) => setLogo(tx, ctx, { logo }));
}
async function audits(tenantId: string, action: string) {
  return owner`select actor_user_id, before, after from audit_log where tenant_id = ${tenantId} and action = ${action} order by created_at`;
}

describe('branding', () => {
  it('starts from the organisation name and default colours', async () => {
    expect(await getBranding(globex.tenant)).toEqual({
      displayName: 'Globex',
      primaryColor: '#4f46e5',
      accentColor: '#0f766e',
      onPrimary: '#ffffff',
      onAccent: '#ffffff',
      logoUrl: null,
      allowSelfSignup: false,
    });
  });

  it('stores new values and audits only the fields that changed', async () => {
    await update(admin, { displayName: 'Acme Learning', primaryColor: '#FFFF00', accentColor: '#0f766e', allowSelfSignup: 'on' });
    expect(await getBranding(acme.tenant)).toMatchObject({
      displayName: 'Acme Learning',
      primaryColor: '#ffff00', // normalised
      accentColor: '#0f766e',
      onPrimary: '#111827', // dark text on yellow
      allowSelfSignup: true,
    });
    const rows = await audits(acme.tenant.id, 'branding.updated');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      actor_user_id: admin.user.id,
      before: { displayName: 'Acme', primaryColor: '#4f46e5', allowSelfSignup: false },
      after: { displayName: 'Acme Learning', primaryColor: '#ffff00', allowSelfSignup: true },
    });
    // Another organisation is untouched.
    expect((await getBranding(globex.tenant)).displayName).toBe('Globex');
  });

  it('writes no audit row when nothing changed', async () => {
    const current = await getBranding(acme.tenant);
    const before = (await audits(acme.tenant.id, 'branding.updated')).length;
    await update(admin, { displayName: current.displayName, primaryColor: current.primaryColor.toUpperCase(), accentColor: current.accentColor, allowSelfSignup: current.allowSelfSignup });
    expect(await audits(acme.tenant.id, 'branding.updated')).toHaveLength(before);
  });

  it('rejects colours that are not #rrggbb', () => {
    const base = { displayName: 'Acme', accentColor: '#0f766e', allowSelfSignup: false };
    for (const bad of ['red', '#fff', '#12345g', 'rgb(0,0,0)', '']) {
      expect(BrandingInput.safeParse({ ...base, primaryColor: bad }).success, bad).toBe(false);
    }
  });

  it('is refused to learners and instructors', async () => {
    for (const role of ['learner', 'instructor'] as const) {
      const ctx = await addMember(acme.tenant, role);
      await expect(update(ctx, { displayName: 'Hacked', primaryColor: '#000000', accentColor: '#000000', allowSelfSignup: true })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(upload(ctx, file(PNG_1x1, 'logo.png'))).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await getBranding(acme.tenant)).displayName).not.toBe('Hacked');
  });
});

describe('logos', () => {
  it('stores an uploaded PNG and serves it from the branding logo URL', async () => {
    await upload(admin, file(PNG_1x1, 'logo.png', 'image/png'));
    const branding = await getBranding(acme.tenant);
    expect(branding.logoUrl).toMatch(/^\/brand\/logo\/[0-9a-f-]{36}$/);
    const assetId = branding.logoUrl!.split('/').at(-1)!;
    const asset = await getLogoAsset(acme.tenant.id, assetId);
    expect(asset).not.toBeNull();
    expect(asset!.contentType).toBe('image/png');
    expect(Buffer.compare(asset!.data, PNG_1x1)).toBe(0);
    const [audit] = await audits(acme.tenant.id, 'branding.logo_changed');
    expect(audit).toMatchObject({ actor_user_id: admin.user.id, before: { logoAssetId: null }, after: { logoAssetId: assetId, contentType: 'image/png', bytes: PNG_1x1.length } });
  });

  it('judges the content, not the name: a PNG called logo.jpg is stored as a PNG', async () => {
    const org = await makeOrg('renamed');
    await upload(org.owner, file(PNG_1x1, 'logo.jpg', 'image/jpeg'));
    const id = (await getBranding(org.tenant)).logoUrl!.split('/').at(-1)!;
    expect((await getLogoAsset(org.tenant.id, id))!.contentType).toBe('image/png');
  });

  it('reuses the stored asset when the same file is uploaded again', async () => {
    const org = await makeOrg('same-file');
    await upload(org.owner, file(PNG_1x1, 'a.png'));
    const first = (await getBranding(org.tenant)).logoUrl;
    await upload(org.owner, file(PNG_1x1, 'b.png'));
    expect((await getBranding(org.tenant)).logoUrl).toBe(first);
    const n = (await owner`select count(*)::int as n from brand_assets where tenant_id = ${org.tenant.id}`)[0]!.n as number;
    expect(n).toBe(1);
  });

  it('refuses a GIF and keeps the current logo', async () => {
    const before = (await getBranding(acme.tenant)).logoUrl;
    const attempt = upload(admin, file(GIF_1x1, 'logo.png', 'image/png'));
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/image\/gif/);
    expect((await getBranding(acme.tenant)).logoUrl).toBe(before);
  });

  it('stores an SVG only after removing its script', async () => {
    const org = await makeOrg('vector');
    await upload(org.owner, file(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><circle r="4"/></svg>'), 'logo.svg'));
    const id = (await getBranding(org.tenant)).logoUrl!.split('/').at(-1)!;
    const asset = (await getLogoAsset(org.tenant.id, id))!;
    expect(asset.contentType).toBe('image/svg+xml');
    const text = asset.data.toString('utf8');
    expect(text).toContain('<circle');
    expect(text).not.toMatch(/script|onload|alert/i);
  });

  it('does not serve one organisation’s logo under another organisation', async () => {
    await upload(admin, file(PNG_1x1, 'logo.png'));
    const id = (await getBranding(acme.tenant)).logoUrl!.split('/').at(-1)!;
    expect(await getLogoAsset(acme.tenant.id, id)).not.toBeNull();
    expect(await getLogoAsset(globex.tenant.id, id)).toBeNull();
    expect(await getLogoAsset(acme.tenant.id, 'not-a-uuid')).toBeNull();
    expect(await getLogoAsset(acme.tenant.id, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('can be removed, with an audit row', async () => {
    const org = await makeOrg('no-logo');
    await upload(org.owner, file(PNG_1x1, 'logo.png'));
    const id = (await getBranding(org.tenant)).logoUrl!.split('/').at(-1)!;
    await withTenant(org.tenant.id, (tx) => removeLogo(tx, org.owner));
    expect((await getBranding(org.tenant)).logoUrl).toBeNull();
    expect(await audits(org.tenant.id, 'branding.logo_removed')).toEqual([{ actor_user_id: org.owner.user.id, before: { logoAssetId: id }, after: { logoAssetId: null } }]);
  });
});
