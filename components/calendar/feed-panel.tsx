'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * The member's private calendar feed: create it, copy its address (shown once: only a hash is kept),
 * regenerate it (the old address stops working) or revoke it, both behind a confirmation.
 */
export function FeedPanel({ status, createAction, revokeAction }: { status: { created: string; lastUsed: string | null } | null; createAction: Action; revokeAction: Action }) {
  const t = useTranslations('calendar.feed');
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [createState, create] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await createAction(prev, data);
    if (next.ok) took(next);
    return next;
  }, { ok: false });

  function took(state: ActionState) {
    setUrl(typeof state.data?.url === 'string' ? state.data.url : null);
    setCopied(false);
    setMessage(state.message ? { text: state.message, ok: true } : null);
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard (an insecure context, a refused permission): select it for the reader to copy.
      input.current?.select();
    }
    setCopied(true);
  }

  return (
    <div className="space-y-4">
      <div role="status" aria-live="polite">
        {message && <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert>}
        {!createState.ok && createState.message && <Alert tone="error">{createState.message}</Alert>}
      </div>

      {url && (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-4">
          <label htmlFor="feed-url" className="block text-sm font-medium text-slate-900">
            {t('urlLabel')}
          </label>
          <div className="mt-1 flex flex-wrap gap-2">
            <input
              ref={input}
              id="feed-url"
              readOnly
              value={url}
              aria-describedby="feed-url-hint"
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
              data-testid="feed-url"
            />
            <Button type="button" variant="secondary" onClick={copy}>
              {copied ? t('copied') : t('copy')}
            </Button>
          </div>
          <p id="feed-url-hint" className="mt-2 text-xs text-slate-700">
            {t('urlHint')}
          </p>
          <span className="sr-only" aria-live="polite">
            {copied ? t('copiedStatus') : ''}
          </span>
        </div>
      )}

      {status ? (
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="text-sm text-slate-700" data-testid="feed-status">
            {t('active', { created: status.created })} {status.lastUsed ? t('lastUsed', { date: status.lastUsed }) : t('neverUsed')}
          </p>
          <div className="flex flex-wrap gap-2">
            <ConfirmAction
              action={createAction}
              onDone={took}
              hidden={{}}
              trigger={t('regenerate.trigger')}
              title={t('regenerate.title')}
              body={t('regenerate.body')}
              confirmLabel={t('regenerate.confirm')}
              pendingLabel={t('regenerate.pending')}
            />
            <ConfirmForm
              action={revokeAction}
              onDone={(s) => {
                setUrl(null);
                setMessage(s.message ? { text: s.message, ok: true } : null);
              }}
              hidden={{}}
              trigger={t('revoke.trigger')}
              title={t('revoke.title')}
              body={t('revoke.body')}
              confirmLabel={t('revoke.confirm')}
              pendingLabel={t('revoke.pending')}
            />
          </div>
        </div>
      ) : (
        <form action={create} className="flex flex-wrap items-center justify-between gap-4">
          <p className="text-sm text-slate-700">{t('none')}</p>
          <SubmitButton pendingLabel={t('creating')}>{t('create')}</SubmitButton>
        </form>
      )}
    </div>
  );
}
