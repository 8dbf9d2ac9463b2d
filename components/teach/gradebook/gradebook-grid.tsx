'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useActionState, useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

type Target = { itemId: string; enrolmentId: string; learner: string; title: string; button: HTMLButtonElement };

type Detail = {
  pointsPossible: number | null;
  grade: { score: number | null; overrideScore: number | null; overrideReason: string | null; excused: boolean; released: boolean } | null;
  history: { id: string; at: string; kind: string; actorName: string | null; oldScore: number | null; newScore: number | null; oldExcused: boolean; newExcused: boolean; reason: string | null }[];
};

/**
 * The gradebook table's behaviour: a cell (a button) opens the cell editor on click or Enter; arrow keys,
 * Home and End move between cells (one cell in the tab order at a time, the grid pattern).
 */
export function GradebookGrid({ courseSlug, action, children }: { courseSlug: string; action: Action; children: ReactNode }) {
  const [target, setTarget] = useState<Target | null>(null);

  function cellFrom(el: EventTarget | null): HTMLButtonElement | null {
    return el instanceof HTMLElement ? (el.closest('button[data-cell]') as HTMLButtonElement | null) : null;
  }

  function open(button: HTMLButtonElement) {
    setTarget({ itemId: button.dataset.item!, enrolmentId: button.dataset.enrolment!, learner: button.dataset.learner!, title: button.dataset.title!, button });
  }

  function onClick(e: MouseEvent) {
    const cell = cellFrom(e.target);
    if (cell) open(cell);
  }

  function onKeyDown(e: KeyboardEvent) {
    const cell = cellFrom(e.target);
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    const moves: Record<string, [number, number]> = { ArrowUp: [row - 1, col], ArrowDown: [row + 1, col], ArrowLeft: [row, col - 1], ArrowRight: [row, col + 1], Home: [row, 0], End: [row, 9999] };
    const to = moves[e.key];
    if (!to) return;
    e.preventDefault();
    const grid = e.currentTarget as HTMLElement;
    let next = grid.querySelector<HTMLButtonElement>(`button[data-cell][data-row="${to[0]}"][data-col="${to[1]}"]`);
    if (!next && e.key === 'End') {
      const inRow = grid.querySelectorAll<HTMLButtonElement>(`button[data-cell][data-row="${row}"]`);
      next = inRow[inRow.length - 1] ?? null;
    }
    if (!next) return;
    cell.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }

  return (
    <div onClick={onClick} onKeyDown={onKeyDown}>
      {children}
      {target && <CellEditor key={`${target.itemId}:${target.enrolmentId}`} courseSlug={courseSlug} target={target} action={action} onClose={() => setTarget(null)} />}
    </div>
  );
}

function CellEditor({ courseSlug, target, action, onClose }: { courseSlug: string; target: Target; action: Action; onClose: () => void }) {
  const t = useTranslations('gradebook.cell');
  const format = useFormatter();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) setVersion((v) => v + 1);
    return next;
  }, { ok: false });

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  useEffect(() => {
    let live = true;
    const q = new URLSearchParams({ item: target.itemId, enrolment: target.enrolmentId });
    fetch(`/teach/${encodeURIComponent(courseSlug)}/gradebook/cell?${q}`, { cache: 'no-store' })
      .then(async (res) => {
        const body = (await res.json()) as Detail & { error?: string };
        if (!live) return;
        if (!res.ok) setLoadError(body.error ?? t('loadFailed'));
        else setDetail(body);
      })
      .catch(() => live && setLoadError(t('loadFailed')));
    return () => {
      live = false;
    };
  }, [courseSlug, target.itemId, target.enrolmentId, version, t]);

  function close() {
    dialog.current?.close();
  }

  const n = (x: number | null) => (x === null ? '–' : format.number(x, { maximumFractionDigits: 2 }));
  const value = (score: number | null, excused: boolean) => (excused ? t('excusedValue') : n(score));
  const g = detail?.grade;
  const hidden = { itemId: target.itemId, enrolmentId: target.enrolmentId };

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      onClose={() => {
        onClose();
        target.button.focus();
      }}
      className="m-auto w-full max-w-lg rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-6">
        <div>
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {target.title}
          </h2>
          <p className="text-sm text-slate-600">{target.learner}</p>
        </div>
        {loadError && <Alert tone="error">{loadError}</Alert>}
        {!detail && !loadError && <p className="text-sm text-slate-600">{t('loading')}</p>}
        {detail && (
          <>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-600">{t('graded')}</dt>
              <dd className="tabular-nums">{g?.score === null || !g ? '–' : t('ofPoints', { score: n(g.score), points: n(detail.pointsPossible) })}</dd>
              <dt className="text-slate-600">{t('override')}</dt>
              <dd className="tabular-nums">{g?.overrideScore !== null && g?.overrideScore !== undefined ? `${n(g.overrideScore)} — ${g.overrideReason ?? ''}` : '–'}</dd>
              <dt className="text-slate-600">{t('status')}</dt>
              <dd>{[g?.excused ? t('excusedValue') : null, g ? (g.released ? t('released') : t('notReleased')) : t('noGrade')].filter(Boolean).join(' · ')}</dd>
            </dl>

            {state.message && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}

            <form action={formAction} className="space-y-3 rounded-md border border-slate-200 p-4">
              <input type="hidden" name="action" value="override" />
              {Object.entries(hidden).map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
              <div className="grid grid-cols-[8rem_1fr] gap-3">
                <div>
                  <label htmlFor={`${id}-score`} className="block text-sm font-medium text-slate-800">
                    {t('scoreLabel')}
                  </label>
                  <input
                    id={`${id}-score`}
                    name="score"
                    inputMode="decimal"
                    autoFocus
                    required
                    defaultValue={g?.overrideScore ?? ''}
                    aria-describedby={`${id}-score-hint`}
                    aria-invalid={state.fieldErrors?.score ? true : undefined}
                    className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-600"
                  />
                  <p id={`${id}-score-hint`} className="mt-1 text-xs text-slate-600">
                    {t('outOf', { points: n(detail.pointsPossible) })}
                  </p>
                </div>
                <div>
                  <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-800">
                    {t('reasonLabel')}
                  </label>
                  <input
                    id={`${id}-reason`}
                    name="reason"
                    required
                    maxLength={500}
                    aria-invalid={state.fieldErrors?.reason ? true : undefined}
                    className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid=true]:border-red-600"
                  />
                  <p className="mt-1 text-xs text-slate-600">{t('reasonHint')}</p>
                </div>
              </div>
              <SubmitButton pendingLabel={t('saving')}>{t('saveOverride')}</SubmitButton>
            </form>

            <div className="flex flex-wrap gap-2">
              {g?.overrideScore !== null && g?.overrideScore !== undefined && (
                <form action={formAction}>
                  <input type="hidden" name="action" value="clear" />
                  {Object.entries(hidden).map(([k, v]) => (
                    <input key={k} type="hidden" name={k} value={v} />
                  ))}
                  <SubmitButton variant="secondary" pendingLabel={t('saving')}>
                    {t('clearOverride')}
                  </SubmitButton>
                </form>
              )}
              <form action={formAction}>
                <input type="hidden" name="action" value={g?.excused ? 'unexcuse' : 'excuse'} />
                {Object.entries(hidden).map(([k, v]) => (
                  <input key={k} type="hidden" name={k} value={v} />
                ))}
                <SubmitButton variant="secondary" pendingLabel={t('saving')}>
                  {g?.excused ? t('unexcuse') : t('excuse')}
                </SubmitButton>
              </form>
            </div>

            <section aria-labelledby={`${id}-history`} className="space-y-2">
              <h3 id={`${id}-history`} className="text-sm font-semibold text-slate-900">
                {t('history')}
              </h3>
              {detail.history.length === 0 ? (
                <p className="text-sm text-slate-600">{t('noHistory')}</p>
              ) : (
                <ol className="max-h-56 space-y-2 overflow-y-auto text-sm" data-testid="cell-history">
                  {detail.history.map((h) => (
                    <li key={h.id} className="rounded-md bg-slate-50 px-3 py-2">
                      <div className="flex flex-wrap justify-between gap-2">
                        <span className="font-medium tabular-nums text-slate-900">
                          {value(h.oldScore, h.oldExcused)} → {value(h.newScore, h.newExcused)}
                        </span>
                        <span className="text-xs text-slate-600">{t(`kinds.${h.kind}` as 'kinds.auto')}</span>
                      </div>
                      <div className="text-xs text-slate-600">
                        {h.actorName ?? t('automatic')} · <time dateTime={h.at}>{format.dateTime(new Date(h.at), { dateStyle: 'medium', timeStyle: 'short' })}</time>
                        {h.reason && <> · {h.reason}</>}
                      </div>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </>
        )}
        <div className="flex justify-end">
          <Button type="button" variant="secondary" onClick={close}>
            {t('close')}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
