import { describe, expect, it } from 'vitest';
import { parseHost, SlugSchema } from '@/lib/tenancy/host';

describe('parseHost', () => {
  const root = 'localhost:3000';
  it('maps a subdomain to its slug', () => {
    expect(parseHost('acme.localhost:3000', root)).toEqual({ kind: 'tenant', slug: 'acme' });
    expect(parseHost('ACME.localhost:3000', root)).toEqual({ kind: 'tenant', slug: 'acme' });
  });
  it('treats the root and IP hosts as the root domain', () => {
    expect(parseHost('localhost:3000', root)).toEqual({ kind: 'root' });
    expect(parseHost('127.0.0.1:3000', root)).toEqual({ kind: 'root' });
    expect(parseHost('[::1]:3000', root)).toEqual({ kind: 'root' });
  });
  it('never resolves reserved names or nested labels to a tenant', () => {
    expect(parseHost('www.localhost:3000', root).kind).toBe('reserved');
    expect(parseHost('api.localhost:3000', root).kind).toBe('reserved');
    expect(parseHost('a.acme.localhost:3000', root).kind).toBe('unknown');
    expect(parseHost('evil.com', root).kind).toBe('unknown');
    expect(parseHost('acme.localhost.evil.com', root).kind).toBe('unknown');
    expect(parseHost('-bad.localhost:3000', root).kind).toBe('unknown');
    expect(parseHost('', root).kind).toBe('unknown');
  });
});

describe('SlugSchema', () => {
  it('accepts good slugs and explains bad ones', () => {
    expect(SlugSchema.parse('my-school')).toBe('my-school');
    expect(SlugSchema.safeParse('ab').success).toBe(false);
    expect(SlugSchema.safeParse('admin').error?.issues[0]?.message).toMatch(/reserved/);
    expect(SlugSchema.safeParse('a--b').success).toBe(false);
    expect(SlugSchema.safeParse('Bad Slug').success).toBe(false);
  });
});
