'use client';

import { useRef, useState } from 'react';
import { Button } from './button';

/** A secret shown once (API key, token): read-only field, Copy button, and why it will not be shown again. */
export function SecretReveal({ id, label, value, hint, copyLabel, copiedLabel }: { id: string; label: string; value: string; hint: string; copyLabel: string; copiedLabel: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard (insecure context, refused permission): select it for the reader to copy.
      input.current?.select();
    }
    setCopied(true);
  }
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4">
      <label htmlFor={id} className="block text-sm font-semibold text-slate-900">
        {label}
      </label>
      <div className="mt-2 flex flex-wrap gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
          data-testid="secret-value"
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? copiedLabel : copyLabel}
        </Button>
      </div>
      <p id={`${id}-hint`} className="mt-2 text-xs text-slate-700">
        {hint}
      </p>
    </div>
  );
}
