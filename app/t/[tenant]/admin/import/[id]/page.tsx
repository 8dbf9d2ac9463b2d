import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ImportProblems } from '@/components/imports/import-problems';
import { ImportProgress } from '@/components/imports/import-progress';
import { ImportStatusBadge } from '@/components/imports/import-status-badge';
import { StartImportForm } from '@/components/imports/start-import-form';
import { ProgressBar } from '@/components/teach/roster/progress-bar';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { requireMember } from '@/lib/auth/guard';
import { withMember } from '@/lib/auth/with-member';
import { NotFoundError } from '@/lib/errors';
import { getImport, type ImportDetail } from '@/lib/imports/service';
import { startImportAction } from '../actions';

export const metadata: Metadata = { title: 'Import from CSV' };

type Props = { params: Promise<{ tenant: string; id: string }> };

/** One import: its preview (checked), its progress bar (running) or its result (done, stopped). */
export default async function ImportDetailPage({ params }: Props) {
  const { tenant, id } = await params;
  const ctx = await requireMember(tenant, { role: 'admin' });
  const [t, format] = await Promise.all([getTranslations('imports'), getFormatter()]);
  const imp = await withMember(ctx, (tx) => getImport(tx, ctx, id)).catch((e: unknown) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const kind = t(`kinds.${imp.kind}`);
  const when = format.dateTime(imp.createdAt, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <main className="space-y-6">
      <nav aria-label={t('title')} className="text-sm">
        <Link href="/admin/import" className="text-slate-600 hover:text-slate-900 hover:underline">
          ← {t('backToList')}
        </Link>
      </nav>
      <div>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-bold">{imp.fileName}</h1>
          <ImportStatusBadge status={imp.status} label={t(`status.${imp.status}`)} />
        </div>
        <p className="mt-1 text-sm text-slate-600">{imp.createdByName ? t('detailMeta', { kind, when, name: imp.createdByName }) : t('detailMetaNoName', { kind, when })}</p>
      </div>
      {imp.status === 'checked' && <Preview imp={imp} />}
      {imp.status === 'running' && (
        <Card title={t('progressTitle')}>
          <ImportProgress initial={imp} />
        </Card>
      )}
      {(imp.status === 'done' || imp.status === 'failed') && <Result imp={imp} />}
    </main>
  );
}

async function Preview({ imp }: { imp: ImportDetail }) {
  const [t, format] = await Promise.all([getTranslations('imports'), getFormatter()]);
  const p = imp.preview!;
  const seats = p.seats;
  const changes = p.create + p.update;
  const blocked = !seats.enough;
  return (
    <Card title={t('previewTitle')} description={t('previewLede')}>
      <div className="space-y-5">
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Count label={t('countCreate')} value={format.number(p.create)} tone={p.create ? 'green' : 'slate'} />
          <Count label={t('countUpdate')} value={format.number(p.update)} tone={p.update ? 'green' : 'slate'} />
          <Count label={t('countUnchanged')} value={format.number(p.unchanged)} tone="slate" />
          <Count label={t('countErrors')} value={format.number(imp.errorRows)} tone={imp.errorRows ? 'red' : 'slate'} />
        </dl>
        {imp.importedBefore && <Alert tone="info">{t('importedBefore', { date: format.dateTime(imp.importedBefore, { dateStyle: 'medium', timeStyle: 'short' }) })}</Alert>}
        {p.namesKept > 0 && <Alert tone="info">{t('namesKept', { count: p.namesKept })}</Alert>}
        <SeatNotice imp={imp} />
        <ImportProblems importId={imp.id} errors={imp.errors} total={imp.errorCount} lede={t('problemsSkipped')} />
        <div className="space-y-3 border-t border-slate-200 pt-4">
          {imp.totalRows === 0 ? (
            <Alert tone="warning">{t('noValidRows')}</Alert>
          ) : changes === 0 ? (
            <Alert tone="info">{t('nothingToDo')}</Alert>
          ) : (
            <>
              <p className="text-sm text-slate-700">{t('startLede')}</p>
              {imp.kind === 'users' && p.create > 0 && <p className="text-sm text-slate-700">{t('welcomeMail')}</p>}
            </>
          )}
          <div className="flex flex-wrap items-start gap-3">
            {imp.totalRows > 0 && changes > 0 && <StartImportForm importId={imp.id} action={startImportAction} label={t('start', { count: imp.totalRows })} pendingLabel={t('starting')} disabled={blocked} />}
            <Link href="/admin/import" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-900 hover:bg-slate-100">
              {t('uploadAnother')}
            </Link>
          </div>
        </div>
      </div>
    </Card>
  );
}

async function SeatNotice({ imp }: { imp: ImportDetail }) {
  const t = await getTranslations('imports');
  const s = imp.preview!.seats;
  const billing = (
    <>
      {' '}
      <Link href="/admin/billing" className="font-medium underline">
        {t('seats.billingLink')}
      </Link>
    </>
  );
  if (s.overLimit)
    return (
      <Alert tone="warning">
        {t('seats.overLimit')}
        {billing}
      </Alert>
    );
  if (imp.kind !== 'users') return null;
  if (s.adds <= 0) return <p className="text-sm text-slate-700">{t('seats.none')}</p>;
  if (s.pastDueLocked)
    return (
      <Alert tone="warning">
        {t('seats.pastDue')}
        {billing}
      </Alert>
    );
  if (!s.enough)
    return (
      <Alert tone="warning">
        {t('seats.short', { adds: s.adds, free: s.free, limit: s.limit, plan: s.plan })}
        {billing}
      </Alert>
    );
  return <p className="text-sm text-slate-700">{t('seats.fits', { adds: s.adds, free: s.free, limit: s.limit, plan: s.plan })}</p>;
}

async function Result({ imp }: { imp: ImportDetail }) {
  const t = await getTranslations('imports');
  const counts = { created: imp.created, updated: imp.updated, unchanged: imp.unchanged, failed: imp.failed };
  const skipped = imp.errorRows - imp.failed;
  return (
    <Card title={t('resultTitle')}>
      <div className="space-y-4">
        <ProgressBar label={t('progressLabel')} value={imp.totalRows ? imp.processedRows / imp.totalRows : 1} text={t('progressText', { processed: imp.processedRows, total: imp.totalRows })} />
        <Alert tone={imp.status === 'done' ? 'success' : 'error'}>
          {imp.status === 'done' ? t('resultDone', counts) : t('resultFailed', { ...counts, processed: imp.processedRows, total: imp.totalRows })}
        </Alert>
        {skipped > 0 && <p className="text-sm text-slate-700">{t('skippedAtCheck', { count: skipped })}</p>}
        <ImportProblems importId={imp.id} errors={imp.errors} total={imp.errorCount} />
        <div className="flex flex-wrap gap-3">
          {imp.kind === 'users' && (
            <Link href="/admin/members" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-900 hover:bg-slate-100">
              {t('seeMembers')}
            </Link>
          )}
          <Link href="/admin/import" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-900 hover:bg-slate-100">
            {t('uploadAnother')}
          </Link>
        </div>
      </div>
    </Card>
  );
}

function Count({ label, value, tone }: { label: string; value: string; tone: 'green' | 'slate' | 'red' }) {
  const tones = { green: 'border-green-200 bg-green-50 text-green-900', slate: 'border-slate-200 bg-slate-50 text-slate-900', red: 'border-red-200 bg-red-50 text-red-900' };
  return (
    <div className={`rounded-md border px-4 py-3 ${tones[tone]}`}>
      <dt className="text-xs font-medium uppercase tracking-wide opacity-80">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
