'use client';

import type { ActionState } from '@/lib/auth/action-state';
import { useNavigatingAction } from './auth-form';

export function SignOutButton({ action, label }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; label: string }) {
  const [, formAction, pending] = useNavigatingAction(action);
  return (
    <form action={formAction}>
      <button type="submit" disabled={pending} className="rounded-md px-3 py-2 font-medium hover:bg-black/10 disabled:opacity-60">
        {label}
      </button>
    </form>
  );
}
