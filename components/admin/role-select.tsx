'use client';

import { useActionState, useRef } from 'react';
import type { ActionState } from '@/lib/auth/action-state';

/** Changing the select submits at once; a refusal (e.g. last owner) is shown beside it. */
export function RoleSelect({ action, membershipId, role, options, label }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; membershipId: string; role: string; options: { value: string; label: string }[]; label: string }) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="membershipId" value={membershipId} />
      <select
        name="role"
        aria-label={label}
        defaultValue={role}
        key={`${role}-${state.message ?? ''}`}
        disabled={pending}
        onChange={() => form.current?.requestSubmit()}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {pending && <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />}
      {state.message && !state.ok && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}
