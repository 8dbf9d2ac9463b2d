import { useTranslations } from 'next-intl';
import type { ProgramStatus } from '@/lib/programs/service';

const tone: Record<ProgramStatus, string> = {
  draft: 'bg-amber-100 text-amber-900',
  published: 'bg-green-100 text-green-900',
  archived: 'bg-slate-200 text-slate-800',
};

export function ProgramStatusBadge({ status }: { status: ProgramStatus }) {
  const t = useTranslations('programs.status');
  return <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tone[status]}`}>{t(`label.${status}`)}</span>;
}
