'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { ConfirmAction } from '@/components/ui/confirm-action';
import type { ActionState } from '@/lib/auth/action-state';

/**
 * Offered on a question that submitted attempts have answered: after the key changes, re-score them all
 * (audited). Essays are graded by people, so they are never offered this.
 */
export function RegradeQuestion({ questionId, attempts, action }: { questionId: string; attempts: number; action: (prev: ActionState, data: FormData) => Promise<ActionState> }) {
  const t = useTranslations('questions.regrade');
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="regrade-title" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
      <h3 id="regrade-title" className="font-medium text-amber-950">
        {t('title')}
      </h3>
      <p className="mt-1 text-sm text-amber-950">{t('body', { attempts })}</p>
      <div aria-live="polite" className="mt-3 empty:mt-0">
        {done && <Alert tone="success">{done}</Alert>}
      </div>
      <div className="mt-3">
        <ConfirmAction
          action={action}
          hidden={{ questionId }}
          trigger={t('trigger', { attempts })}
          title={t('confirmTitle')}
          body={t('confirmBody', { attempts })}
          confirmLabel={t('confirm')}
          pendingLabel={t('pending')}
          onDone={(state) => setDone(state.message ?? null)}
        />
      </div>
    </section>
  );
}
