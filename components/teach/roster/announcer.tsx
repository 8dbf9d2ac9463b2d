'use client';

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

type Announce = (message: string, opts?: { tone?: 'success' | 'error'; focus?: boolean }) => void;

const AnnouncerContext = createContext<{ announce: Announce; message: { text: string; tone: 'success' | 'error'; id: number } | null; region: React.RefObject<HTMLDivElement | null> } | null>(null);

/**
 * Results of row actions (approve, remove…) outlive the row: the page refreshes and the row may be gone,
 * so the message is kept here and shown in one polite live region. After a row disappears, focus moves
 * to the message instead of falling back to the top of the document.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<{ text: string; tone: 'success' | 'error'; id: number } | null>(null);
  const region = useRef<HTMLDivElement>(null);
  const announce = useCallback<Announce>((text, opts = {}) => {
    setMessage((m) => ({ text, tone: opts.tone ?? 'success', id: (m?.id ?? 0) + 1 }));
    if (opts.focus) requestAnimationFrame(() => region.current?.focus());
  }, []);
  return <AnnouncerContext.Provider value={{ announce, message, region }}>{children}</AnnouncerContext.Provider>;
}

export function useAnnounce(): Announce {
  return useContext(AnnouncerContext)?.announce ?? (() => {});
}

/** Where the latest result is shown (and announced). */
export function Announcements({ dismissLabel }: { dismissLabel: string }) {
  const ctx = useContext(AnnouncerContext);
  const [dismissed, setDismissed] = useState(0);
  const message = ctx?.message && ctx.message.id !== dismissed ? ctx.message : null;
  return (
    <div ref={ctx?.region} tabIndex={-1} role="status" aria-live="polite" className="rounded-md outline-none! focus-visible:ring-2 focus-visible:ring-accent">
      {message && (
        <div className={`flex items-center justify-between gap-4 rounded-md border px-4 py-2 text-sm ${message.tone === 'success' ? 'border-green-300 bg-green-50 text-green-900' : 'border-red-300 bg-red-50 text-red-900'}`}>
          <span>{message.text}</span>
          <button type="button" onClick={() => setDismissed(message.id)} className="rounded px-2 text-lg leading-none hover:bg-black/5" aria-label={dismissLabel}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
