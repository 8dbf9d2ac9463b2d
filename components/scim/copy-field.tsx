'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/** A read-only value with a Copy button (the SCIM base URL, a new token). */
export function CopyField({ id, label, value, hint, testId }: { id: string; label: string; value: string; hint?: string; testId?: string }) {
  const t = useTranslations('provisioning');
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard (an insecure context, a refused permission): select it for the reader to copy.
      input.current?.select();
    }
    setCopied(true);
  }
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
          data-testid={testId}
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? t('copied') : t('copy')}
        </Button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">
          {hint}
        </p>
      )}
      <span className="sr-only" aria-live="polite">
        {copied ? t('copiedStatus') : ''}
      </span>
    </div>
  );
}
