'use client';

import { useActionState, useRef } from 'react';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * A person's role in the course. Changing the select saves at once; a refusal (e.g. the last
 * instructor) is announced beside it and the select falls back to the saved role.
 */
export function CourseRoleSelect({ action, enrolmentId, role, options, label }: { action: Action; enrolmentId: string; role: string; options: { value: string; label: string }[]; label: string }) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={formAction} className="flex flex-col items-start gap-1">
      <input type="hidden" name="enrolmentId" value={enrolmentId} />
      <div className="flex items-center gap-2">
        <select
          name="role"
          aria-label={label}
          defaultValue={role}
          key={`${role}-${state.message ?? ''}`}
          disabled={pending}
          aria-invalid={state.message && !state.ok ? true : undefined}
          onChange={() => form.current?.requestSubmit()}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-red-600"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {pending && <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />}
      </div>
      <span role="status" className={state.ok ? 'sr-only' : 'max-w-56 text-xs text-red-700'}>
        {state.message}
      </span>
    </form>
  );
}
