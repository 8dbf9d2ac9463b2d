import type { ReactNode } from 'react';

/** A titled group of related fields. */
export function FieldGroup({ legend, description, children }: { legend: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <legend className="float-left mb-3 w-full">
        <span className="text-lg font-semibold text-slate-900">{legend}</span>
        {description && <span className="mt-0.5 block text-sm font-normal text-slate-600">{description}</span>}
      </legend>
      <div className="clear-both space-y-4">{children}</div>
    </fieldset>
  );
}
