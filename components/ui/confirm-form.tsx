'use client';

import type { ComponentProps } from 'react';
import { ConfirmAction } from './confirm-action';

/** A destructive action behind a confirmation dialog: ConfirmAction with the danger styling. */
export function ConfirmForm(props: Omit<ComponentProps<typeof ConfirmAction>, 'triggerVariant' | 'confirmVariant'>) {
  return <ConfirmAction triggerVariant="danger-ghost" confirmVariant="danger" {...props} />;
}
