import { useTranslations } from 'next-intl';

const tones = {
  draft: 'bg-amber-50 text-amber-900 ring-amber-200',
  published: 'bg-emerald-50 text-emerald-900 ring-emerald-200',
  archived: 'bg-slate-100 text-slate-700 ring-slate-300',
} as const;

export type CourseStatus = keyof typeof tones;

/** A course's status as a small pill (text, not colour alone, carries the meaning). */
export function CourseStatusBadge({ status }: { status: CourseStatus }) {
  const t = useTranslations('teach.status');
  return (
    <span data-testid="course-status" className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[status]}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${status === 'published' ? 'bg-emerald-600' : status === 'draft' ? 'bg-amber-500' : 'bg-slate-500'}`} />
      {t(status)}
    </span>
  );
}
