import type { ReactNode } from 'react';

const tones = {
  error: 'border-red-300 bg-red-50 text-red-900',
  success: 'border-green-300 bg-green-50 text-green-900',
  warning: 'border-amber-300 bg-amber-50 text-amber-900',
  info: 'border-slate-300 bg-white text-slate-800',
};

export function Alert({ tone = 'info', children }: { tone?: keyof typeof tones; children: ReactNode }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`rounded-md border px-4 py-3 text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}

/** The message line of a form action, if any. */
export function FormMessage({ state }: { state: { ok: boolean; message?: string; link?: { href: string; label: string } } }) {
  if (!state.message) return null;
  return (
    <Alert tone={state.ok ? 'success' : 'error'}>
      {state.message}
      {state.link && (
        <>
          {' '}
          <a href={state.link.href} className="font-medium underline">
            {state.link.label}
          </a>
        </>
      )}
    </Alert>
  );
}
