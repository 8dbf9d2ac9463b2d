import type { ReactNode } from 'react';
import type { ItemKind } from './types';

const tones: Record<ItemKind, string> = {
  lesson: 'bg-sky-50 text-sky-700 ring-sky-200',
  video: 'bg-violet-50 text-violet-700 ring-violet-200',
  file: 'bg-amber-50 text-amber-800 ring-amber-200',
  link: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  quiz: 'bg-rose-50 text-rose-700 ring-rose-200',
  assignment: 'bg-indigo-50 text-indigo-700 ring-indigo-200',
};

const paths: Record<ItemKind, ReactNode> = {
  lesson: (
    <>
      <path d="M4 4.5h12M4 8.5h12M4 12.5h8" strokeLinecap="round" />
    </>
  ),
  video: (
    <>
      <rect x="3" y="5" width="14" height="10" rx="2" />
      <path d="m8.5 8 3.5 2-3.5 2V8Z" fill="currentColor" />
    </>
  ),
  file: (
    <>
      <path d="M11 2.5H6A1.5 1.5 0 0 0 4.5 4v12A1.5 1.5 0 0 0 6 17.5h8a1.5 1.5 0 0 0 1.5-1.5V7L11 2.5Z" strokeLinejoin="round" />
      <path d="M11 2.5V7h4.5" strokeLinejoin="round" />
    </>
  ),
  link: (
    <>
      <path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l2.5-2.5a3.5 3.5 0 0 0-5-5L10 5" strokeLinecap="round" />
      <path d="M11.5 8.5a3.5 3.5 0 0 0-5 0L4 11a3.5 3.5 0 0 0 5 5l1-1" strokeLinecap="round" />
    </>
  ),
  quiz: (
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M8 8a2 2 0 1 1 2.8 1.8c-.5.3-.8.7-.8 1.2v.5" strokeLinecap="round" />
      <circle cx="10" cy="14" r="0.6" fill="currentColor" />
    </>
  ),
  assignment: (
    <>
      <rect x="4.5" y="3" width="11" height="14" rx="1.5" />
      <path d="M7.5 7h5M7.5 10h5M7.5 13h3" strokeLinecap="round" />
    </>
  ),
};

/** A kind's icon in a tinted square (decorative: the kind is also written out). */
export function KindIcon({ kind, size = 'size-8' }: { kind: ItemKind; size?: string }) {
  return (
    <span aria-hidden className={`inline-flex ${size} shrink-0 items-center justify-center rounded-md ring-1 ring-inset ${tones[kind]}`}>
      <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6">
        {paths[kind]}
      </svg>
    </span>
  );
}

export function GripIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden>
      {[5, 10, 15].map((y) => (
        <g key={y}>
          <circle cx="7.5" cy={y} r="1.4" />
          <circle cx="12.5" cy={y} r="1.4" />
        </g>
      ))}
    </svg>
  );
}

export function ArrowIcon({ up }: { up?: boolean }) {
  return (
    <svg viewBox="0 0 20 20" className={`size-4 ${up ? '' : 'rotate-180'}`} fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
      <path d="M10 15V5M5.5 9.5 10 5l4.5 4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
