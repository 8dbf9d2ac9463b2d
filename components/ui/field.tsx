import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600';

type FieldProps = { label: string; name: string; error?: string; hint?: ReactNode };

/** Label, control, hint and error, wired together so assistive technology announces the error. */
function FieldFrame({ inputId, label, hint, error, control: render }: { inputId: string; label: string; hint?: ReactNode; error?: string; control: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string; className: string }) => ReactNode }) {
  const describedBy = [error && `${inputId}-error`, hint && `${inputId}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {render({ id: inputId, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, className: control })}
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

/** A labelled input with its error announced to assistive technology. */
export function Field({ label, name, error, hint, id, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <FieldFrame inputId={id ?? `f-${name}`} label={label} hint={hint} error={error} control={(a11y) => <input name={name} {...a11y} {...props} />} />;
}

export function SelectField({ label, name, error, hint, id, children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame
      inputId={id ?? `f-${name}`}
      label={label}
      hint={hint}
      error={error}
      control={(a11y) => (
        <select name={name} {...a11y} {...props}>
          {children}
        </select>
      )}
    />
  );
}

/** A labelled textarea with hint and error. */
export function TextareaField({ label, name, error, hint, id, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <FieldFrame inputId={id ?? `f-${name}`} label={label} hint={hint} error={error} control={(a11y) => <textarea name={name} {...a11y} {...props} />} />;
}
