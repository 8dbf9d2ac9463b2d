import type { ReactNode } from 'react';

/** The instructor area: every page checks its own access (a TA may see a roster but not the settings). */
export default function TeachLayout({ children }: { children: ReactNode }) {
  return <div className="mx-auto max-w-6xl px-6 py-8">{children}</div>;
}
