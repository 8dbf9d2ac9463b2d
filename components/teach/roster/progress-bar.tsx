/**
 * A labelled progress bar. `value` is a fraction (0–1); `label` names it and `text` is what a screen
 * reader hears as its value (e.g. "3 of 5 required items").
 */
export function ProgressBar({ value, label, text, size = 'md' }: { value: number; label: string; text?: string; size?: 'sm' | 'md' }) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  const percent = Math.round(clamped * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
      className={`w-full overflow-hidden rounded-full bg-slate-200 ${size === 'sm' ? 'h-1.5' : 'h-2.5'}`}
    >
      <div className={`h-full rounded-full transition-[width] duration-300 ${clamped >= 1 ? 'bg-green-600' : 'bg-brand'}`} style={{ width: `${percent}%` }} />
    </div>
  );
}
