'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The admin sidebar; the browser's path is the public one (acme.host/admin/...), not the rewritten one. */
export function AdminNav({ items, label }: { items: { href: string; label: string }[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className="flex gap-1 md:flex-col">
        {items.map((item) => {
          const active = pathname.endsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? 'page' : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? 'bg-brand text-on-brand' : 'text-slate-700 hover:bg-slate-200'}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
