'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export type CourseTab = { href: string; label: string; exact?: boolean; external?: boolean };

/** The course's authoring tabs; the browser's path is the public one (acme.host/teach/...), not the rewritten one. */
export function CourseTabs({ tabs, label }: { tabs: CourseTab[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => {
        const active = !tab.external && (tab.exact ? pathname.endsWith(tab.href) : pathname.includes(tab.href));
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={`whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium ${
              active ? 'border-brand text-slate-900' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
            }`}
          >
            {tab.label}
            {tab.external && (
              <span aria-hidden className="ml-1 text-slate-400">
                ↗
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
