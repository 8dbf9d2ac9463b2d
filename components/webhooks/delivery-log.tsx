import { getFormatter, getTranslations } from 'next-intl/server';
import { DataTable } from '@/components/ui/data-table';
import { Pagination } from '@/components/ui/pagination';
import type { ActionState } from '@/lib/auth/action-state';
import type { DeliveryRow } from '@/lib/webhooks/service';
import { ReplayButton } from './replay-button';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

const statusTone: Record<DeliveryRow['status'], string> = {
  pending: 'bg-amber-100 text-amber-900',
  delivered: 'bg-green-100 text-green-900',
  failed: 'bg-red-100 text-red-900',
};

/** An endpoint's deliveries, newest first: event, status, attempts, last response, next retry, and Replay. */
export async function DeliveryLog({ log, replay }: { log: { rows: DeliveryRow[]; total: number; page: number; pageSize: number }; replay: Action }) {
  const [t, format] = await Promise.all([getTranslations('webhooks.log'), getFormatter()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'medium' });
  if (!log.rows.length) return <p className="py-6 text-center text-sm text-slate-600">{t('empty')}</p>;
  return (
    <>
      <DataTable
        caption={t('title')}
        bodyClassName="align-top"
        columns={[
          { label: t('colEvent') },
          { label: t('colStatus') },
          { label: t('colAttempts') },
          { label: t('colResponse') },
          { label: t('colNext') },
          { label: t('colActions'), hidden: true },
        ]}
      >
        {log.rows.map((d) => (
          <tr key={d.id} data-testid="webhook-delivery">
            <td className="py-2 pr-4">
              <span className="font-mono text-xs text-slate-900">{d.eventType}</span>
              <div className="text-xs text-slate-600">
                <time dateTime={d.createdAt.toISOString()}>{when(d.createdAt)}</time>
              </div>
            </td>
            <td className="py-2 pr-4">
              <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ${statusTone[d.status]}`}>{t(`status.${d.status}`)}</span>
            </td>
            <td className="py-2 pr-4 tabular-nums">{d.attempts}</td>
            <td className="max-w-72 py-2 pr-4">
              <span className="tabular-nums">{d.lastStatusCode ?? t('none')}</span>
              {d.lastError && (
                <p className="line-clamp-2 break-words text-xs text-red-800" title={d.lastError}>
                  {d.lastError}
                </p>
              )}
            </td>
            <td className="py-2 pr-4 text-xs text-slate-700">
              {d.status === 'pending' && d.nextAttemptAt ? <time dateTime={d.nextAttemptAt.toISOString()}>{when(d.nextAttemptAt)}</time> : t('none')}
            </td>
            <td className="py-2">
              <ReplayButton deliveryId={d.id} label={t('replayLabel', { event: d.eventType, date: when(d.createdAt) })} action={replay} />
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={log.page} pageSize={log.pageSize} total={log.total} params={{}} />
    </>
  );
}
