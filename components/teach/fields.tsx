import type { ReactNode, TextareaHTMLAttributes } from 'react';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600';

/** A labelled textarea with hint and error, like components/ui/field's inputs. */
export function TextareaField({ label, name, error, hint, id, ...props }: { label: string; name: string; error?: string; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const inputId = id ?? `f-${name}`;
  const describedBy = [error && `${inputId}-error`, hint && `${inputId}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={control} {...props} />
      {hint && (
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${inputId}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

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
