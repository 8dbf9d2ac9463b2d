'use client';

import type { ReactNode } from 'react';

/**
 * A labelled file picker for CSV files with its hint. Remount it (change `resetKey`) to clear the choice, so
 * the same file can be picked again after a failure.
 */
export function CsvFileInput({ id, label, hint, resetKey, onFile }: { id: string; label: string; hint: ReactNode; resetKey: number | string; onFile: (file: File) => void }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        key={resetKey}
        id={id}
        type="file"
        accept=".csv,text/csv"
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) onFile(file);
        }}
        className="mt-1 block w-full text-sm text-slate-700 file:mr-4 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-4 file:py-2 file:text-sm file:font-semibold file:text-slate-900 hover:file:bg-slate-100"
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
        {hint}
      </p>
    </div>
  );
}
