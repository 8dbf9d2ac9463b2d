'use server';

import { getTranslations } from 'next-intl/server';
import { memberAction } from '@/lib/auth/action';
import { retryDeadLetters, RetryDeadLetterInput } from '@/lib/jobs/dead-letters';

export const retryDeadLettersAction = memberAction({ role: 'admin', input: RetryDeadLetterInput }, async (tx, ctx, input) => {
  const n = await retryDeadLetters(tx, ctx, input);
  return { ok: true, message: (await getTranslations('jobs'))('retried', { n }), data: { retried: n } };
});
