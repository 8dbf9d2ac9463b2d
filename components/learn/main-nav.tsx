'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/**
 * The organisation header's sections (Courses, My learning, Teach, Admin). A client component so the
 * current section (aria-current) follows client-side navigation; the header itself stays a server component.
 */
export function MainNav({ items, label }: { items: { href: string; label: string }[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mx-2 overflow-x-auto">
      <ul className="flex items-center gap-1 px-2 text-sm">
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? 'page' : undefined}
                className={`block rounded-md px-3 py-2 font-medium whitespace-nowrap transition ${active ? 'bg-black/20' : 'hover:bg-black/10'}`}
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
