import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600';

type FieldProps = { label: string; name: string; error?: string; hint?: ReactNode };

/** A labelled input with its error announced to assistive technology. */
export function Field({ label, name, error, hint, id, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const inputId = id ?? `f-${name}`;
  const describedBy = [error && `${inputId}-error`, hint && `${inputId}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={control} {...props} />
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

export function SelectField({ label, name, error, id, children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const inputId = id ?? `f-${name}`;
  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${inputId}-error` : undefined} className={control} {...props}>
        {children}
      </select>
      {error && (
        <p id={`${inputId}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
