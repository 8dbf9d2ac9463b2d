'use client';

import {
  closestCenter,
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { GripIcon, KindIcon } from './icons';
import { OutlineModuleCard } from './outline-module';
import type { OpenForm, Order, OutlineActions, OutlineItem, OutlineModule } from './types';

type DragType = 'module' | 'item';
const LIST_PREFIX = 'list:';

const orderOf = (modules: OutlineModule[]): Order => modules.map((m) => ({ id: m.id, itemIds: m.items.map((i) => i.id) }));
const sameOrder = (a: Order, b: Order) => JSON.stringify(a) === JSON.stringify(b);

/** Which module holds `id` (an item, or a module's empty-list drop zone) in `order`. */
function containerOf(order: Order, id: UniqueIdentifier): number {
  const s = String(id);
  if (s.startsWith(LIST_PREFIX)) return order.findIndex((m) => m.id === s.slice(LIST_PREFIX.length));
  return order.findIndex((m) => m.itemIds.includes(s));
}

/**
 * The course outline: modules with ordered items, reordered by drag and drop (pointer or keyboard) or by
 * the Move buttons. Every change of order saves the whole outline at once with the structure version it
 * was computed from; saves run one after another, each with the version the previous one returned. If the
 * server refuses (someone else changed the outline), the order goes back to what the server has and the
 * author is asked to reload. Nothing is ever saved half-way: the service applies a whole order or none.
 */
export function OutlineEditor({ courseId, modules, structureVersion, actions }: { courseId: string; modules: OutlineModule[]; structureVersion: number; actions: OutlineActions }) {
  const t = useTranslations('teach.outline');
  const router = useRouter();

  // Local order while dragging or saving; otherwise the server's order (props) is shown.
  const [draft, setDraftState] = useState<Order | null>(null);
  const draftRef = useRef<Order | null>(null);
  const setDraft = (next: Order | null) => {
    draftRef.current = next;
    setDraftState(next);
  };
  const [active, setActive] = useState<{ id: string; type: DragType } | null>(null);
  const snapshot = useRef<Order | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmedVersion, setConfirmedVersion] = useState(structureVersion);
  const [saveNote, setSaveNote] = useState('');
  const [conflict, setConflict] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [openForm, setOpenForm] = useState<OpenForm>(null);

  const pending = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const conflicted = useRef(false);
  const confirmed = useRef(structureVersion);
  const propsVersion = useRef(structureVersion);
  const focusAfter = useRef<string[] | null>(null);
  useEffect(() => {
    propsVersion.current = structureVersion;
  }, [structureVersion]);

  const serverOrder = useMemo(() => orderOf(modules), [modules]);
  const showDraft = draft !== null && (busy || active !== null || structureVersion < confirmedVersion);
  const order = showDraft ? draft : serverOrder;
  const moduleById = useMemo(() => new Map(modules.map((m) => [m.id, m])), [modules]);
  const itemById = useMemo(() => new Map(modules.flatMap((m) => m.items.map((i) => [i.id, i] as const))), [modules]);
  // What is on screen: the order (local or server) filled in with the server's latest content.
  const view: OutlineModule[] = order.flatMap((o) => {
    const m = moduleById.get(o.id);
    return m ? [{ ...m, items: o.itemIds.flatMap((id) => itemById.get(id) ?? []) }] : [];
  });

  // After a Move button, the moved row is re-rendered elsewhere: put keyboard focus back on its button.
  useEffect(() => {
    const ids = focusAfter.current;
    if (!ids) return;
    focusAfter.current = null;
    for (const id of ids) {
      const el = document.getElementById(id);
      if (el) {
        el.focus();
        break;
      }
    }
  });

  const locked = conflict !== null;

  function save(next: Order) {
    pending.current += 1;
    setBusy(true);
    setSaveNote(t('saving'));
    queue.current = queue.current.then(async () => {
      if (conflicted.current) return;
      const data = new FormData();
      data.set('courseId', courseId);
      data.set('version', String(Math.max(confirmed.current, propsVersion.current)));
      data.set('modules', JSON.stringify(next));
      let result: ActionState;
      try {
        result = await actions.reorder({ ok: false }, data);
      } catch {
        result = { ok: false, message: t('saveFailed') };
      }
      if (result.ok && typeof result.data?.version === 'number') {
        confirmed.current = result.data.version;
        setConfirmedVersion(result.data.version);
      } else {
        conflicted.current = true;
        setConflict(result.message ?? t('saveFailed'));
      }
    });
    void queue.current.finally(() => {
      pending.current -= 1;
      if (pending.current > 0) return;
      setBusy(false);
      if (conflicted.current) {
        // Back to what the server has; the alert offers a reload.
        setDraft(null);
        setSaveNote('');
      } else {
        setSaveNote(t('saved'));
      }
    });
  }

  function commit(next: Order, message: string) {
    setDraft(next);
    setAnnouncement(message);
    save(next);
  }

  function reload() {
    conflicted.current = false;
    setConflict(null);
    setDraft(null);
    router.refresh();
  }

  // ---- names and positions, for announcements ----
  const titleOf = (id: UniqueIdentifier) => moduleById.get(String(id))?.title ?? itemById.get(String(id))?.title ?? '';
  const itemPlace = (o: Order, itemId: string) => {
    const mi = containerOf(o, itemId);
    const m = o[mi];
    return m ? { position: m.itemIds.indexOf(itemId) + 1, count: m.itemIds.length, module: moduleById.get(m.id)?.title ?? '' } : null;
  };

  // ---- Move buttons ----
  function moveModule(id: string, delta: -1 | 1) {
    if (locked) return;
    const o = structuredClone(order);
    const from = o.findIndex((m) => m.id === id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= o.length) return;
    const next = arrayMove(o, from, to);
    focusAfter.current = [`move-${delta < 0 ? 'up' : 'down'}-${id}`, `move-${delta < 0 ? 'down' : 'up'}-${id}`];
    commit(next, t('announce.moduleMoved', { title: titleOf(id), position: to + 1, count: next.length }));
  }

  function moveItem(id: string, delta: -1 | 1) {
    if (locked) return;
    const o = structuredClone(order);
    const mi = containerOf(o, id);
    const m = o[mi];
    if (!m) return;
    const ii = m.itemIds.indexOf(id);
    const to = ii + delta;
    if (to >= 0 && to < m.itemIds.length) {
      m.itemIds = arrayMove(m.itemIds, ii, to);
    } else {
      // Past the end of its module: into the neighbouring module (end of the one above, start of the one below).
      const target = o[mi + delta];
      if (!target) return;
      m.itemIds.splice(ii, 1);
      if (delta < 0) target.itemIds.push(id);
      else target.itemIds.unshift(id);
    }
    focusAfter.current = [`move-${delta < 0 ? 'up' : 'down'}-${id}`, `move-${delta < 0 ? 'down' : 'up'}-${id}`];
    const place = itemPlace(o, id)!;
    commit(o, t('announce.itemMoved', { title: titleOf(id), ...place }));
  }

  // ---- drag and drop ----
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  // Modules only collide with modules; items with items, or with an empty module's drop zone.
  const collisionDetection: CollisionDetection = (args) => {
    const type = args.active.data.current?.type as DragType | undefined;
    const droppableContainers = args.droppableContainers.filter((c) => {
      const kind = c.data.current?.type;
      return type === 'module' ? kind === 'module' : kind === 'item' || kind === 'list';
    });
    const scoped = { ...args, droppableContainers };
    if (type === 'module') return closestCenter(scoped);
    if (args.pointerCoordinates) {
      const within = pointerWithin(scoped);
      if (within.length) return within;
      return closestCenter(scoped);
    }
    return closestCorners(scoped);
  };

  function onDragStart({ active: a }: DragStartEvent) {
    const type = a.data.current?.type as DragType;
    snapshot.current = structuredClone(order);
    setDraft(structuredClone(order));
    setActive({ id: String(a.id), type });
  }

  // Moving an item into another module happens while dragging, so the rows there make room for it.
  function onDragOver({ active: a, over }: DragOverEvent) {
    if (!over || a.data.current?.type !== 'item' || !draftRef.current) return;
    const o = draftRef.current;
    const from = containerOf(o, a.id);
    const to = containerOf(o, over.id);
    if (from < 0 || to < 0 || from === to) return;
    const next = structuredClone(o);
    const id = String(a.id);
    next[from]!.itemIds = next[from]!.itemIds.filter((x) => x !== id);
    const overIndex = next[to]!.itemIds.indexOf(String(over.id));
    // Entering from above lands before the row under the pointer; from below, after it.
    const at = overIndex < 0 ? (to > from ? 0 : next[to]!.itemIds.length) : to > from ? overIndex : overIndex + 1;
    next[to]!.itemIds.splice(at, 0, id);
    setDraft(next);
  }

  function onDragEnd({ active: a, over }: DragEndEvent) {
    // Dropped outside any place it can go: same as Escape, everything goes back.
    if (!over) return onDragCancel();
    const type = a.data.current?.type as DragType;
    let next = draftRef.current ?? order;
    if (over.id !== a.id) {
      if (type === 'module') {
        const from = next.findIndex((m) => m.id === a.id);
        const to = next.findIndex((m) => m.id === over.id);
        if (from >= 0 && to >= 0) next = arrayMove(next, from, to);
      } else {
        const mi = containerOf(next, a.id);
        if (mi >= 0 && mi === containerOf(next, over.id)) {
          const ids = next[mi]!.itemIds;
          const from = ids.indexOf(String(a.id));
          const to = ids.indexOf(String(over.id));
          if (from >= 0 && to >= 0) {
            next = structuredClone(next);
            next[mi]!.itemIds = arrayMove(ids, from, to);
          }
        }
      }
    }
    setActive(null);
    // Said here rather than by dnd-kit, which would describe the drop before this order is final.
    const place = type === 'module' ? { position: next.findIndex((m) => m.id === a.id) + 1, count: next.length, module: '' } : itemPlace(next, String(a.id));
    if (place) setAnnouncement(t(type === 'module' ? 'announce.moduleDropped' : 'announce.itemDropped', { title: titleOf(a.id), ...place }));
    if (snapshot.current && sameOrder(next, snapshot.current)) {
      setDraft(null);
      return;
    }
    setDraft(next);
    save(next);
  }

  function onDragCancel() {
    setDraft(snapshot.current);
    setActive(null);
  }

  // Spoken by dnd-kit's live region while dragging with the keyboard (or a screen reader).
  const placeFor = (activeId: UniqueIdentifier, overId: UniqueIdentifier | undefined, type: DragType) => {
    const o = draftRef.current ?? order;
    if (type === 'module') {
      const index = o.findIndex((m) => m.id === (overId ?? activeId));
      return { position: index + 1, count: o.length, module: '' };
    }
    if (overId && String(overId).startsWith(LIST_PREFIX)) {
      const mi = containerOf(o, overId);
      return { position: 1, count: (o[mi]?.itemIds.length ?? 0) + 1, module: moduleById.get(o[mi]?.id ?? '')?.title ?? '' };
    }
    return itemPlace(o, String(overId ?? activeId)) ?? { position: 0, count: 0, module: '' };
  };
  const announcements: Announcements = {
    onDragStart: ({ active: a }) => {
      const type = a.data.current?.type as DragType;
      return t(type === 'module' ? 'announce.modulePicked' : 'announce.itemPicked', { title: titleOf(a.id), ...placeFor(a.id, undefined, type) });
    },
    onDragOver: ({ active: a, over }) => {
      const type = a.data.current?.type as DragType;
      if (!over) return t('announce.noTarget', { title: titleOf(a.id) });
      return t(type === 'module' ? 'announce.moduleOver' : 'announce.itemOver', { title: titleOf(a.id), ...placeFor(a.id, over.id, type) });
    },
    onDragEnd: ({ active: a, over }) => (over ? undefined : t('announce.cancelled', { title: titleOf(a.id) })),
    onDragCancel: ({ active: a }) => t('announce.cancelled', { title: titleOf(a.id) }),
  };

  const total = view.reduce((n, m) => n + m.items.length, 0);
  const activeItem: OutlineItem | undefined = active?.type === 'item' ? itemById.get(active.id) : undefined;
  const activeModule: OutlineModule | undefined = active?.type === 'module' ? view.find((m) => m.id === active.id) : undefined;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {t('summary', { modules: view.length, items: total })} <span className="hidden sm:inline">· {t('howTo')}</span>
        </p>
        <p role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-slate-600" data-testid="order-status">
          {busy && <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />}
          {!busy && saveNote && <span aria-hidden className="text-emerald-700">✓</span>}
          {saveNote}
        </p>
      </div>
      <p aria-live="assertive" className="sr-only">
        {announcement}
      </p>

      {conflict && (
        <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950" data-testid="outline-conflict">
          <span>{conflict}</span>
          <Button type="button" variant="secondary" onClick={reload}>
            {t('reload')}
          </Button>
        </div>
      )}

      <DndContext
        id="course-outline"
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('dragInstructions') } }}
      >
        <SortableContext items={view.map((m) => m.id)} strategy={verticalListSortingStrategy}>
          <ol className="space-y-4" aria-label={t('modulesLabel')}>
            {view.map((m, index) => (
              <OutlineModuleCard
                key={m.id}
                module={m}
                index={index}
                count={view.length}
                courseId={courseId}
                modules={view}
                actions={actions}
                dragging={active}
                locked={locked}
                openForm={openForm}
                setOpenForm={setOpenForm}
                onMoveModule={moveModule}
                onMoveItem={moveItem}
                isFirstItem={(id) => index === 0 && m.items[0]?.id === id}
                isLastItem={(id) => index === view.length - 1 && m.items[m.items.length - 1]?.id === id}
                announce={setAnnouncement}
              />
            ))}
          </ol>
        </SortableContext>
        <DragOverlay dropAnimation={null}>
          {activeItem ? (
            <div className="flex items-center gap-3 rounded-md border border-slate-300 bg-white px-3 py-2 shadow-lg ring-2 ring-brand/30">
              <span className="text-slate-400">
                <GripIcon />
              </span>
              <KindIcon kind={activeItem.content.kind} size="size-7" />
              <span className="text-sm font-medium text-slate-900">{activeItem.title}</span>
            </div>
          ) : activeModule ? (
            <div className="flex items-center gap-3 rounded-lg border border-slate-300 bg-white px-4 py-3 shadow-lg ring-2 ring-brand/30">
              <span className="text-slate-400">
                <GripIcon />
              </span>
              <span className="font-semibold text-slate-900">{activeModule.title}</span>
              <span className="text-xs text-slate-500">{t('itemCount', { count: activeModule.items.length })}</span>
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>

      {view.length === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
          <h3 className="font-semibold text-slate-900">{t('emptyTitle')}</h3>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-600">{t('emptyBody')}</p>
        </div>
      )}

      <AddModuleForm courseId={courseId} action={actions.addModule} onDone={(s) => setAnnouncement(s.message ?? '')} first={view.length === 0} />
    </div>
  );
}

function AddModuleForm({ courseId, action, onDone, first }: { courseId: string; action: OutlineActions['addModule']; onDone: (s: ActionState) => void; first: boolean }) {
  const t = useTranslations('teach.outline.module');
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok) onDone(next);
    return next;
  }, { ok: false });
  return (
    <form action={formAction} noValidate className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={t('addLabel')}>
      <input type="hidden" name="courseId" value={courseId} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field
            id="new-module-title"
            label={first ? t('firstTitle') : t('newTitle')}
            name="title"
            required
            maxLength={200}
            placeholder={t('titlePlaceholder')}
            key={state.ok ? `done-${state.data?.moduleId as string}` : 'draft'}
            defaultValue={state.ok ? '' : state.values?.title}
            error={state.fieldErrors?.title ?? (!state.ok && !state.fieldErrors ? state.message : undefined)}
          />
        </div>
        <SubmitButton pendingLabel={t('adding')}>{t('add')}</SubmitButton>
      </div>
      <p role="status" aria-live="polite" className="mt-2 text-sm text-emerald-800 empty:hidden">
        {state.ok ? state.message : ''}
      </p>
    </form>
  );
}
