'use client';

import { useActionState, useRef } from 'react';
import type { ActionState } from '@/lib/auth/action-state';

/**
 * A select that saves as soon as it changes (a role in a table row). A refusal (the last owner, the last
 * instructor) is shown beside it and the select falls back to the saved value.
 */
export function SaveOnChangeSelect({
  action,
  hidden,
  name,
  value,
  options,
  label,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  label: string;
}) {
  const [state, formAction, pending] = useActionState(action, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  const refused = Boolean(state.message && !state.ok);
  return (
    <form ref={form} action={formAction} className="flex flex-col items-start gap-1">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="flex items-center gap-2">
        <select
          name={name}
          aria-label={label}
          defaultValue={value}
          key={`${value}-${state.message ?? ''}`}
          disabled={pending}
          aria-invalid={refused ? true : undefined}
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
      {refused && (
        <span role="alert" className="max-w-56 text-xs text-red-700">
          {state.message}
        </span>
      )}
      {state.ok && state.message && (
        <span role="status" className="sr-only">
          {state.message}
        </span>
      )}
    </form>
  );
}
