import type { ReactNode } from 'react';

export type DataColumn = { label: string; /** Read by screen readers only (an actions column). */ hidden?: boolean; align?: 'right' };

/**
 * A list as a table: a caption for assistive technology, the column headers, the rows given as children, and
 * a centred message instead of an empty table when there are none. Scrolls sideways on narrow screens.
 */
export function DataTable({
  caption,
  columns,
  empty,
  emptyText,
  className = '',
  bodyClassName = '',
  children,
}: {
  caption: string;
  columns: DataColumn[];
  empty?: boolean;
  emptyText?: string;
  className?: string;
  bodyClassName?: string;
  children: ReactNode;
}) {
  if (empty) return <p className={`py-6 text-center text-sm text-slate-600 ${className}`}>{emptyText}</p>;
  return (
    <div className={`overflow-x-auto ${className}`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
          <tr>
            {columns.map((c, i) => (
              <th key={c.label} scope="col" className={`py-2 font-semibold ${i < columns.length - 1 ? 'pr-4' : ''} ${c.align === 'right' ? 'text-right' : ''}`}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 ${bodyClassName}`}>{children}</tbody>
      </table>
    </div>
  );
}
