const TONES: Record<string, string> = {
  done: 'bg-green-50 text-green-900 ring-green-200',
  failed: 'bg-red-50 text-red-900 ring-red-200',
  running: 'bg-amber-50 text-amber-900 ring-amber-200',
  checked: 'bg-slate-50 text-slate-800 ring-slate-200',
};

/** An import's status as a small coloured label (the text carries the meaning; the colour only helps). */
export function ImportStatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ${TONES[status] ?? TONES.checked}`}>{label}</span>;
}
