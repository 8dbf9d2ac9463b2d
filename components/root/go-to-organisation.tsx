'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Type your organisation's address and go there (sign-in is per organisation). */
export function GoToOrganisation({ rootDomain }: { rootDomain: string }) {
  const t = useTranslations('product');
  const [slug, setSlug] = useState('');
  return (
    <form
      className="mt-4 flex max-w-md items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const clean = slug.trim().toLowerCase();
        // Another origin (the organisation's subdomain), so a full navigation, not the router.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        if (/^[a-z0-9-]{3,40}$/.test(clean)) window.location.href = `${window.location.protocol}//${clean}.${rootDomain}/sign-in`;
      }}
    >
      <div className="flex-1">
        <label htmlFor="go-slug" className="block text-sm font-medium">
          {t('goLabel')}
        </label>
        <div className="mt-1 flex items-center rounded-md border border-slate-300 bg-white pr-3 text-sm">
          <input id="go-slug" value={slug} onChange={(e) => setSlug(e.target.value)} className="w-full rounded-md px-3 py-2 outline-none" placeholder="acme" autoComplete="off" />
          <span className="text-slate-600">.{rootDomain}</span>
        </div>
      </div>
      <Button type="submit" variant="secondary">
        {t('goAction')}
      </Button>
    </form>
  );
}
