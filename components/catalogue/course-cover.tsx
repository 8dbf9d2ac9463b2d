// Placeholders differ a little from course to course (picked by title) but stay in the organisation's colours.
const PATTERNS = [
  'bg-[radial-gradient(circle_at_20%_20%,rgba(255,255,255,0.28),transparent_55%),radial-gradient(circle_at_80%_90%,rgba(0,0,0,0.22),transparent_50%)]',
  'bg-[radial-gradient(circle_at_85%_15%,var(--color-accent),transparent_55%),linear-gradient(160deg,transparent_40%,rgba(0,0,0,0.25))]',
  'bg-[linear-gradient(135deg,rgba(255,255,255,0.25),transparent_45%),radial-gradient(circle_at_15%_85%,rgba(0,0,0,0.25),transparent_55%)]',
  'bg-[radial-gradient(circle_at_10%_100%,var(--color-accent),transparent_60%),radial-gradient(circle_at_90%_10%,rgba(255,255,255,0.2),transparent_45%)]',
];

function patternFor(title: string): string {
  let h = 0;
  for (const ch of title) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return PATTERNS[h % PATTERNS.length]!;
}

/**
 * A course's cover image (a signed file URL), or a placeholder in the organisation's colours with the
 * title's initial. Decorative: the title is always next to it.
 */
export function CourseCover({ url, title, className = 'aspect-[16/9]' }: { url: string | null; title: string; className?: string }) {
  if (url) {
    // eslint-disable-next-line @next/next/no-img-element -- signed, expiring URLs served by our own route; sized by CSS
    return <img src={url} alt="" loading="lazy" decoding="async" className={`w-full bg-slate-100 object-cover ${className}`} />;
  }
  return (
    <div aria-hidden className={`relative flex w-full items-center justify-center overflow-hidden bg-brand ${className}`}>
      <div className={`absolute inset-0 ${patternFor(title)}`} />
      <span className="relative text-4xl font-bold text-on-brand opacity-90 drop-shadow-sm">{title.trim().charAt(0).toUpperCase()}</span>
    </div>
  );
}
