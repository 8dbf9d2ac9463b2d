import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { SignupForm } from '@/components/root/signup-form';
import { rootDomain } from '@/lib/tenancy/host';
import { createOrganisationAction } from './actions';

export const metadata: Metadata = { title: 'Create your organisation' };

export default async function SignupPage() {
  const t = await getTranslations('signup');
  return (
    <main className="mx-auto max-w-lg px-6 py-12">
      <Link href="/" className="text-sm font-semibold text-slate-700 hover:underline">
        ← Lectern
      </Link>
      <h1 className="mt-6 text-3xl font-bold">{t('title')}</h1>
      <p className="mt-2 text-slate-700">{t('lede')}</p>
      <div className="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <SignupForm action={createOrganisationAction} rootDomain={rootDomain()} />
      </div>
    </main>
  );
}
