import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/auth/messages';

describe('safeCallbackPath', () => {
  it('keeps paths on this host, with query and hash', () => {
    expect(safeCallbackPath('/admin/members?q=ada#top')).toBe('/admin/members?q=ada#top');
    expect(safeCallbackPath('/')).toBe('/');
  });

  it('refuses everything that could leave the host', () => {
    for (const bad of ['//evil.example', '/\\evil.example', '/%09/evil.example'.replace('%09', '\t'), '/\n/evil.example', 'https://evil.example', 'evil.example', 'javascript:alert(1)', '', ' /admin']) {
      expect(safeCallbackPath(bad), JSON.stringify(bad)).toBe('/');
    }
  });

  it('refuses non-strings (repeated query parameters arrive as arrays)', () => {
    expect(safeCallbackPath(['/a', '/b'])).toBe('/');
    expect(safeCallbackPath(undefined)).toBe('/');
    expect(safeCallbackPath('/' + 'a'.repeat(600))).toBe('/');
  });
});
