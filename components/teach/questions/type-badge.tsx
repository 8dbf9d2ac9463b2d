import { useTranslations } from 'next-intl';

const tones: Record<string, string> = {
  single_choice: 'bg-sky-50 text-sky-800 ring-sky-200',
  multiple_answer: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  true_false: 'bg-teal-50 text-teal-800 ring-teal-200',
  short_answer: 'bg-amber-50 text-amber-900 ring-amber-200',
  numeric: 'bg-lime-50 text-lime-900 ring-lime-200',
  matching: 'bg-violet-50 text-violet-800 ring-violet-200',
  ordering: 'bg-rose-50 text-rose-800 ring-rose-200',
  essay: 'bg-slate-100 text-slate-800 ring-slate-300',
};

/** A question's type as a small coloured label. */
export function TypeBadge({ type }: { type: string }) {
  const t = useTranslations('questions.types');
  return <span className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[type] ?? tones.essay}`}>{t.has(type) ? t(type) : type}</span>;
}
