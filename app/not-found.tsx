import Link from 'next/link';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { parseHost, rootDomain } from '@/lib/tenancy/host';
import { rootOrigin } from '@/lib/tenancy/urls';
import { buttonClass } from '@/components/ui/button';

/** A friendly 404; on an organisation address that does not exist it says so and points home. */
export default async function NotFound() {
  const t = await getTranslations('notFound');
  const host = (await headers()).get('host') ?? '';
  const kind = parseHost(host, rootDomain()).kind;
  const orgMissing = kind !== 'root';
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">404</p>
      <h1 className="text-3xl font-bold">{orgMissing ? t('orgTitle') : t('title')}</h1>
      <p className="text-slate-700">{orgMissing ? t('orgBody', { host }) : t('body')}</p>
      <Link href={orgMissing ? rootOrigin() : '/'} className={buttonClass('primary')}>
        {orgMissing ? t('orgAction') : t('action')}
      </Link>
    </main>
  );
}
