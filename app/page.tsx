import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { GoToOrganisation } from '@/components/root/go-to-organisation';
import { rootDomain } from '@/lib/tenancy/host';

/** The product page on the root domain. */
export default async function ProductPage() {
  const t = await getTranslations('product');
  const features = ['isolation', 'api', 'assessment', 'branding'] as const;
  return (
    <div className="bg-white">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-6 py-5">
        <span className="text-xl font-bold tracking-tight">Lectern</span>
        <nav aria-label={t('navLabel')} className="flex items-center gap-3">
          <Link href="/signup" className={buttonClass('primary')}>
            {t('cta')}
          </Link>
        </nav>
      </header>
      <main>
        <section className="mx-auto max-w-6xl px-6 py-20">
          <h1 className="max-w-3xl text-5xl font-extrabold tracking-tight text-slate-900">{t('headline')}</h1>
          <p className="mt-6 max-w-2xl text-lg text-slate-700">{t('lede')}</p>
          <div className="mt-10 flex flex-wrap items-center gap-4">
            <Link href="/signup" className={buttonClass('primary', 'px-6 py-3 text-base')}>
              {t('cta')}
            </Link>
          </div>
        </section>
        <section aria-labelledby="features" className="border-t border-slate-200 bg-slate-50">
          <div className="mx-auto max-w-6xl px-6 py-16">
            <h2 id="features" className="text-2xl font-bold">
              {t('featuresTitle')}
            </h2>
            <ul className="mt-8 grid gap-6 sm:grid-cols-2">
              {features.map((f) => (
                <li key={f} className="rounded-lg border border-slate-200 bg-white p-6">
                  <h3 className="font-semibold">{t(`features.${f}.title`)}</h3>
                  <p className="mt-2 text-sm text-slate-700">{t(`features.${f}.body`)}</p>
                </li>
              ))}
            </ul>
          </div>
        </section>
        <section className="mx-auto max-w-6xl px-6 py-16">
          <h2 className="text-2xl font-bold">{t('goTitle')}</h2>
          <p className="mt-2 text-slate-700">{t('goBody')}</p>
          <GoToOrganisation rootDomain={rootDomain()} />
        </section>
      </main>
    </div>
  );
}
