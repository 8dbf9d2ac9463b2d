import Link from 'next/link';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { parseHost, rootDomain } from '@/lib/tenancy/host';
import { findTenantBySlug } from '@/lib/tenancy/tenants';
import { rootOrigin } from '@/lib/tenancy/urls';

/** A friendly 404. On an address where no organisation exists it says so and points to Lectern. */
export default async function NotFound() {
  const t = await getTranslations('notFound');
  const host = (await headers()).get('host') ?? '';
  const kind = parseHost(host, rootDomain());
  const orgMissing = kind.kind === 'reserved' || kind.kind === 'unknown' || (kind.kind === 'tenant' && !(await findTenantBySlug(kind.slug)));
  const title = orgMissing ? t('orgTitle') : t('title');
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center gap-4 p-8 text-center">
      <title>{`${title} · Lectern`}</title>
      <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">404</p>
      <h1 className="text-3xl font-bold">{title}</h1>
      <p className="text-slate-700">{orgMissing ? t('orgBody', { host }) : t('body')}</p>
      <Link href={orgMissing ? rootOrigin() : '/'} className={buttonClass('primary')}>
        {orgMissing ? t('orgAction') : t('action')}
      </Link>
    </main>
  );
}
