'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { SecretReveal } from './secret-reveal';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * An endpoint's actions: send a test event (the outcome is shown here and lands in the log), rotate the
 * secret (confirmed; the new one shown once), disable (confirmed) or enable, delete (confirmed).
 */
export function EndpointControls({
  endpoint,
  actions,
}: {
  endpoint: { id: string; url: string; enabled: boolean };
  actions: { test: Action; rotate: Action; setEnabled: Action; remove: Action };
}) {
  const t = useTranslations('webhooks.manage');
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const hidden = { endpointId: endpoint.id };
  const [, testAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await actions.test(prev, data);
    setNotice(next.message ? { ok: next.ok && next.data?.delivered === true, text: next.message } : null);
    return next;
  }, { ok: false });
  const [, enableAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await actions.setEnabled(prev, data);
    setNotice(next.message ? { ok: next.ok, text: next.message } : null);
    return next;
  }, { ok: false });
  return (
    <div className="space-y-4">
      <div role="status" aria-live="polite">
        {notice && (
          <div data-testid="webhook-notice">
            <Alert tone={notice.ok ? 'success' : 'error'}>{notice.text}</Alert>
          </div>
        )}
      </div>
      {secret && <SecretReveal secret={secret} />}
      <div className="flex flex-wrap gap-2">
        <form action={testAction}>
          <input type="hidden" name="endpointId" value={endpoint.id} />
          <SubmitButton pendingLabel={t('test.pending')}>{t('test.trigger')}</SubmitButton>
        </form>
        <ConfirmAction
          action={actions.rotate}
          hidden={hidden}
          trigger={t('rotate.trigger')}
          title={t('rotate.title')}
          body={t('rotate.body')}
          confirmLabel={t('rotate.confirm')}
          pendingLabel={t('rotate.pending')}
          onDone={(s) => {
            setSecret(typeof s.data?.secret === 'string' ? s.data.secret : null);
            setNotice(s.message ? { ok: true, text: s.message } : null);
          }}
        />
        {endpoint.enabled ? (
          <ConfirmAction
            action={actions.setEnabled}
            hidden={{ ...hidden, enabled: 'false' }}
            trigger={t('disable.trigger')}
            title={t('disable.title')}
            body={t('disable.body')}
            confirmLabel={t('disable.confirm')}
            pendingLabel={t('disable.pending')}
            onDone={(s) => setNotice(s.message ? { ok: true, text: s.message } : null)}
          />
        ) : (
          <form action={enableAction}>
            <input type="hidden" name="endpointId" value={endpoint.id} />
            <input type="hidden" name="enabled" value="true" />
            <SubmitButton variant="secondary" pendingLabel={t('enable.pending')}>
              {t('enable.trigger')}
            </SubmitButton>
          </form>
        )}
        <ConfirmForm
          action={actions.remove}
          hidden={hidden}
          trigger={t('delete.trigger')}
          title={t('delete.title')}
          body={t('delete.body', { url: endpoint.url })}
          confirmLabel={t('delete.confirm')}
          pendingLabel={t('delete.pending')}
          onDone={() => router.push('/admin/webhooks?deleted=1')}
        />
      </div>
    </div>
  );
}
