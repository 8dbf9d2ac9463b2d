import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';

export default async function Forbidden() {
  const t = await getTranslations('forbidden');
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">403</p>
      <h1 className="text-3xl font-bold">{t('title')}</h1>
      <p className="text-slate-700">{t('body')}</p>
      <Link href="/" className={buttonClass('primary')}>
        {t('action')}
      </Link>
    </main>
  );
}
