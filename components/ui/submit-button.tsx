'use client';

import type { ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from './button';

/** A submit button that shows progress and cannot be pressed twice while its form is pending. */
export function SubmitButton({ children, pendingLabel, variant, className, disabled = false, 'aria-label': ariaLabel }: { children: ReactNode; pendingLabel: string; variant?: 'primary' | 'secondary' | 'danger'; className?: string; disabled?: boolean; 'aria-label'?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} aria-disabled={pending || disabled} aria-label={ariaLabel} className={className}>
      {pending && <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />}
      {pending ? pendingLabel : children}
    </Button>
  );
}
