'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { ProgressBar } from '@/components/teach/roster/progress-bar';
import type { ImportProgress as Progress } from '@/lib/imports/service';

/**
 * The running import's progress bar. It polls the counters every second (TanStack Query) and, once the
 * import is no longer running, refreshes the page, which then shows the result.
 */
export function ImportProgress({ initial }: { initial: Progress }) {
  const t = useTranslations('imports');
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ['import-progress', initial.id],
    queryFn: async (): Promise<Progress> => {
      const res = await fetch(`/admin/import/${initial.id}/status`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return res.json() as Promise<Progress>;
    },
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
    refetchIntervalInBackground: true,
  });
  const p = data ?? initial;
  useEffect(() => {
    if (p.status !== 'running') router.refresh();
  }, [p.status, router]);
  const text = t('progressText', { processed: p.processedRows, total: p.totalRows });
  return (
    <div className="space-y-3">
      <ProgressBar label={t('progressLabel')} value={p.totalRows ? p.processedRows / p.totalRows : 0} text={text} />
      <p className="text-sm font-medium text-slate-800" aria-live="polite">
        {text}
      </p>
      <p className="text-sm text-slate-600">{t('resultShort', { created: p.created, updated: p.updated, unchanged: p.unchanged, failed: p.failed })}</p>
      <p className="text-xs text-slate-500">
        {t('progressLede')} {t('stuck')}
      </p>
    </div>
  );
}
