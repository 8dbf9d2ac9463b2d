'use client';

import { useTranslations } from 'next-intl';
import { useId } from 'react';
import { CopyField } from '@/components/ui/copy-field';

/** A signing secret shown once (only its encryption is kept), with a copy button. */
export function SecretReveal({ secret }: { secret: string }) {
  const t = useTranslations('webhooks.secret');
  const id = useId();
  return <CopyField secret id={`${id}-secret`} label={t('label')} value={secret} hint={t('once')} testId="webhook-secret" />;
}
