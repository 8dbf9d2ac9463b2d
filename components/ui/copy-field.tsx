'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Button } from './button';

/**
 * A read-only value with a Copy button (an address to paste elsewhere, a new secret). `secret` frames it as
 * shown once: an amber box whose hint says why it will not be shown again.
 */
export function CopyField({ id, label, value, hint, testId, secret = false }: { id: string; label: string; value: string; hint?: string; testId?: string; secret?: boolean }) {
  const t = useTranslations('common');
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
    <div className={secret ? 'rounded-lg border border-amber-300 bg-amber-50 p-4' : undefined} data-testid={secret ? `${testId ?? id}-box` : undefined}>
      <label htmlFor={id} className={`block text-sm text-slate-900 ${secret ? 'font-semibold' : 'font-medium'}`}>
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
