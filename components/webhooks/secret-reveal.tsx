'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/** A signing secret shown once (only its encryption is kept), with a copy button. */
export function SecretReveal({ secret }: { secret: string }) {
  const t = useTranslations('webhooks.secret');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // No clipboard (an insecure context, a refused permission): select it for the reader to copy.
      input.current?.select();
    }
    setCopied(true);
  }
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="webhook-secret">
      <label htmlFor={`${id}-secret`} className="block text-sm font-medium text-slate-900">
        {t('label')}
      </label>
      <div className="mt-1 flex flex-wrap gap-2">
        <input
          ref={input}
          id={`${id}-secret`}
          readOnly
          value={secret}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? t('copied') : t('copy')}
        </Button>
      </div>
      <p id={`${id}-hint`} className="mt-2 text-xs text-slate-700">
        {t('once')}
      </p>
      <span className="sr-only" aria-live="polite">
        {copied ? t('copiedStatus') : ''}
      </span>
    </div>
  );
}
