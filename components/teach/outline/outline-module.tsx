'use client';

import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { ArrowIcon, GripIcon, KindIcon } from './icons';
import { ItemForm } from './item-form';
import { OutlineItemRow } from './outline-item';
import { KINDS, type OpenForm, type OutlineActions, type OutlineModule } from './types';

export const iconButton =
  'inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-disabled:cursor-not-allowed aria-disabled:opacity-35 aria-disabled:hover:bg-transparent';

/** One module: its header (drag handle, title, move, rename, delete), its items, and "add an item". */
export function OutlineModuleCard({
  module: m,
  index,
  count,
  courseId,
  modules,
  actions,
  dragging,
  locked,
  openForm,
  setOpenForm,
  onMoveModule,
  onMoveItem,
  isFirstItem,
  isLastItem,
  announce,
}: {
  module: OutlineModule;
  index: number;
  count: number;
  courseId: string;
  modules: OutlineModule[];
  actions: OutlineActions;
  dragging: { id: string; type: 'module' | 'item' } | null;
  locked: boolean;
  openForm: OpenForm;
  setOpenForm: (f: OpenForm) => void;
  onMoveModule: (id: string, delta: -1 | 1) => void;
  onMoveItem: (id: string, delta: -1 | 1) => void;
  isFirstItem: (id: string) => boolean;
  isLastItem: (id: string) => boolean;
  announce: (message: string) => void;
}) {
  const t = useTranslations('teach.outline');
  const tm = useTranslations('teach.outline.module');
  const tk = useTranslations('teach.outline.kinds');
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: m.id,
    data: { type: 'module' },
    disabled: { draggable: locked, droppable: dragging?.type === 'item' },
  });
  // Lets an item be dropped into a module that has none (or no longer has any while dragging).
  const { setNodeRef: setListRef, isOver } = useDroppable({ id: `list:${m.id}`, data: { type: 'list' }, disabled: dragging?.type !== 'item' || m.items.length > 0 });
  const renaming = openForm?.type === 'rename' && openForm.moduleId === m.id;
  const adding = openForm?.type === 'add' && openForm.moduleId === m.id ? openForm : null;
  const first = index === 0;
  const last = index === count - 1;

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`rounded-lg border bg-white shadow-sm ${isDragging ? 'border-dashed border-slate-300 opacity-50' : 'border-slate-200'}`}
      data-testid="outline-module"
      aria-labelledby={`module-title-${m.id}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-slate-100 px-3 py-3 sm:flex-nowrap sm:px-4">
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={tm('drag', { title: m.title })}
          aria-disabled={locked || undefined}
          className="inline-flex size-8 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
          data-testid="module-handle"
        >
          <GripIcon />
        </button>
        <div className="min-w-[10rem] flex-1">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{tm('number', { n: index + 1 })}</p>
          {renaming ? (
            <RenameModuleForm moduleId={m.id} title={m.title} action={actions.renameModule} onDone={(s) => (setOpenForm(null), announce(s.message ?? ''))} onCancel={() => setOpenForm(null)} />
          ) : (
            <h3 id={`module-title-${m.id}`} className="truncate text-base font-semibold text-slate-900">
              {m.title}
            </h3>
          )}
        </div>
        <span className="hidden text-xs text-slate-500 sm:inline">{t('itemCount', { count: m.items.length })}</span>
        <div className="ml-auto flex items-center">
          <button type="button" id={`move-up-${m.id}`} className={iconButton} aria-label={tm('moveUp', { title: m.title })} title={tm('moveUp', { title: m.title })} aria-disabled={first || locked || undefined} onClick={() => !first && onMoveModule(m.id, -1)}>
            <ArrowIcon up />
          </button>
          <button type="button" id={`move-down-${m.id}`} className={iconButton} aria-label={tm('moveDown', { title: m.title })} title={tm('moveDown', { title: m.title })} aria-disabled={last || locked || undefined} onClick={() => !last && onMoveModule(m.id, 1)}>
            <ArrowIcon />
          </button>
          {!renaming && (
            <Button type="button" variant="ghost" className="px-2.5 py-1.5" aria-label={tm('renameLabel', { title: m.title })} onClick={() => setOpenForm({ type: 'rename', moduleId: m.id })}>
              {tm('rename')}
            </Button>
          )}
          <ConfirmAction
            action={actions.deleteModule}
            hidden={{ moduleId: m.id }}
            trigger={tm('delete')}
            triggerLabel={tm('deleteLabel', { title: m.title })}
            triggerVariant="danger-ghost"
            triggerClassName="px-2.5 py-1.5"
            title={tm('deleteTitle', { title: m.title })}
            body={m.items.length ? tm('deleteBodyItems', { count: m.items.length }) : tm('deleteBodyEmpty')}
            confirmLabel={tm('deleteConfirm')}
            confirmVariant="danger"
            pendingLabel={tm('deleting')}
            onDone={(s) => announce(s.message ?? '')}
          />
        </div>
      </div>

      <SortableContext items={m.items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
        <ol ref={setListRef} className={`divide-y divide-slate-100 ${m.items.length === 0 ? 'p-3' : ''}`} aria-label={tm('itemsLabel', { title: m.title })}>
          {m.items.map((item) => (
            <OutlineItemRow
              key={item.id}
              item={item}
              moduleTitle={m.title}
              courseId={courseId}
              modules={modules}
              actions={actions}
              dragging={dragging}
              locked={locked}
              editing={openForm?.type === 'edit' && openForm.itemId === item.id}
              setOpenForm={setOpenForm}
              onMove={onMoveItem}
              first={isFirstItem(item.id)}
              last={isLastItem(item.id)}
              announce={announce}
            />
          ))}
          {m.items.length === 0 && (
            <li className={`rounded-md border border-dashed px-4 py-5 text-center text-sm ${isOver ? 'border-brand bg-slate-50 text-slate-800' : 'border-slate-300 text-slate-500'}`}>{tm('empty')}</li>
          )}
        </ol>
      </SortableContext>

      <div className="border-t border-slate-100 px-3 py-3 sm:px-4">
        {adding ? (
          <ItemForm
            key={adding.kind}
            mode="add"
            kind={adding.kind}
            courseId={courseId}
            moduleId={m.id}
            modules={modules}
            action={actions.addItem}
            onDone={(s) => {
              setOpenForm(null);
              announce(s.message ?? '');
            }}
            onCancel={() => setOpenForm(null)}
          />
        ) : (
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label={tm('addItemLabel', { title: m.title })}>
            <span className="mr-1 text-xs font-medium uppercase tracking-wide text-slate-500">{tm('addItem')}</span>
            {KINDS.map((kind) => (
              <button
                key={kind}
                type="button"
                onClick={() => setOpenForm({ type: 'add', moduleId: m.id, kind })}
                className="inline-flex items-center gap-2 rounded-md border border-slate-200 bg-white py-1 pl-1 pr-3 text-sm font-medium text-slate-700 hover:border-slate-300 hover:bg-slate-50"
                aria-label={tm('addKindTo', { kind, title: m.title })}
              >
                <KindIcon kind={kind} size="size-6" />
                {tk(kind)}
              </button>
            ))}
          </div>
        )}
      </div>
    </li>
  );
}

function RenameModuleForm({ moduleId, title, action, onDone, onCancel }: { moduleId: string; title: string; action: OutlineActions['renameModule']; onDone: (s: ActionState) => void; onCancel: () => void }) {
  const t = useTranslations('teach.outline.module');
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) onDone(next);
    return next;
  }, { ok: false });
  const error = state.fieldErrors?.title ?? (!state.ok ? state.message : undefined);
  return (
    <form action={formAction} noValidate className="mt-1 flex flex-wrap items-center gap-2" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <input type="hidden" name="moduleId" value={moduleId} />
      <label htmlFor={`rename-${moduleId}`} className="sr-only">
        {t('renameField')}
      </label>
      <input
        id={`rename-${moduleId}`}
        name="title"
        autoFocus
        required
        maxLength={200}
        defaultValue={state.values?.title ?? title}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `rename-${moduleId}-error` : undefined}
        className="min-w-48 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-semibold aria-[invalid=true]:border-red-600"
      />
      <SubmitButton pendingLabel={t('renaming')} className="px-3 py-1.5">
        {t('renameSave')}
      </SubmitButton>
      <Button type="button" variant="ghost" className="px-3 py-1.5" onClick={onCancel}>
        {t('cancel')}
      </Button>
      {error && (
        <p id={`rename-${moduleId}-error`} role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
