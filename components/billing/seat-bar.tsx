/** Seats used of the limit, as a bar (amber from 90 %, red over the limit) with the numbers in words. */
export function SeatBar({ used, limit, label, text }: { used: number; limit: number; label: string; text: string }) {
  const ratio = limit > 0 ? used / limit : 1;
  const tone = ratio > 1 ? 'bg-red-600' : ratio >= 0.9 ? 'bg-amber-500' : 'bg-brand';
  return (
    <div>
      <p className="mb-1 text-sm font-medium text-slate-800" id="seat-bar-text">
        {text}
      </p>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full ${tone}`} style={{ width: `${Math.min(100, Math.round(ratio * 100))}%` }} />
      </div>
    </div>
  );
}
