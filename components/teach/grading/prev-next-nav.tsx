import Link from 'next/link';

/** "← Previous / Next →" between the items of a grading queue (attempts, learners); either may be absent. */
export function PrevNextNav({ label, previousHref, nextHref, previousLabel, nextLabel }: { label: string; previousHref: string | null; nextHref: string | null; previousLabel: string; nextLabel: string }) {
  return (
    <nav aria-label={label} className="ml-auto flex gap-3 text-sm">
      {previousHref && (
        <Link href={previousHref} className="font-medium text-slate-700 hover:text-slate-900 hover:underline">
          <span aria-hidden>← </span>
          {previousLabel}
        </Link>
      )}
      {nextHref && (
        <Link href={nextHref} className="font-medium text-slate-700 hover:text-slate-900 hover:underline">
          {nextLabel}
          <span aria-hidden> →</span>
        </Link>
      )}
    </nav>
  );
}
