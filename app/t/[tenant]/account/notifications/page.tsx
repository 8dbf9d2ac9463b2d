import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { PreferencesForm } from '@/components/notifications/preferences-form';
import { Alert } from '@/components/ui/alert';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { listPreferences } from '@/lib/notifications/preferences';
import { savePreferencesAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('notifications.preferences'))('title') };
}

/** The member's email settings per notification type. In-app notices are always kept. */
export default async function NotificationPreferencesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const ctx = await requireMember((await params).tenant);
  const [t, prefs] = await Promise.all([getTranslations('notifications'), withMember(ctx, (tx) => listPreferences(tx, ctx))]);
  const rows = prefs.map((p) => ({ type: p.type, label: t(`types.${p.type}`), mode: p.mode, defaultMode: p.defaultMode }));
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-6 py-10">
      <div>
        <Link href="/notifications" className="text-sm font-medium text-slate-700 underline underline-offset-2 hover:text-slate-900">
          {t('preferences.backToNotifications')}
        </Link>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">{t('preferences.title')}</h1>
      </div>
      <Alert tone="info">{t('preferences.lede')}</Alert>
      <PreferencesForm action={savePreferencesAction} rows={rows} />
    </main>
  );
}
