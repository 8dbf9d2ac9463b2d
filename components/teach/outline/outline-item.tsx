'use client';

import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmAction } from '@/components/ui/confirm-action';
import { formatBytes } from '../upload-field';
import { ArrowIcon, GripIcon, KindIcon } from './icons';
import { ItemForm } from './item-form';
import { iconButton } from './outline-module';
import type { OpenForm, OutlineActions, OutlineItem, OutlineModule } from './types';

/** One item of a module: drag handle, what it is, its rules at a glance, and its actions. */
export function OutlineItemRow({
  item,
  moduleTitle,
  courseId,
  modules,
  actions,
  dragging,
  locked,
  editing,
  setOpenForm,
  onMove,
  first,
  last,
  announce,
}: {
  item: OutlineItem;
  moduleTitle: string;
  courseId: string;
  modules: OutlineModule[];
  actions: OutlineActions;
  dragging: { id: string; type: 'module' | 'item' } | null;
  locked: boolean;
  editing: boolean;
  setOpenForm: (f: OpenForm) => void;
  onMove: (id: string, delta: -1 | 1) => void;
  first: boolean;
  last: boolean;
  announce: (message: string) => void;
}) {
  const t = useTranslations('teach.outline.item');
  const tk = useTranslations('teach.outline.kinds');
  const tq = useTranslations('questions.quiz');
  const ta = useTranslations('assignment.form');
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.id,
    data: { type: 'item' },
    disabled: { draggable: locked, droppable: dragging?.type === 'module' },
  });
  const prerequisite = item.prerequisiteItemId ? modules.flatMap((m) => m.items).find((i) => i.id === item.prerequisiteItemId) : undefined;
  const c = item.content;
  const detail =
    c.kind === 'video'
      ? c.source === 'embed'
        ? t(`provider.${c.provider}`)
        : `${c.filename} · ${formatBytes(c.size)}`
      : c.kind === 'file'
        ? `${c.filename} · ${formatBytes(c.size)}`
        : c.kind === 'link'
          ? hostOf(c.url)
          : c.kind === 'quiz'
            ? tq('summary', { questions: c.questionIds.length, pools: c.pools.length })
            : c.kind === 'assignment'
              ? ta('summary', { criteria: c.rubric.length, points: c.rubric.length ? c.rubric.reduce((n, x) => n + Math.max(0, ...x.levels.map((l) => Number(l.points) || 0)), 0) : Number(c.pointsPossible) || 0 })
              : null;

  return (
    <li ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition }} className={`relative bg-white ${isDragging ? 'z-10 opacity-40' : ''}`} data-testid="outline-item" data-item-title={item.title}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2.5 sm:flex-nowrap sm:px-4">
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={t('drag', { title: item.title, module: moduleTitle })}
          aria-disabled={locked || undefined}
          className="inline-flex size-8 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
          data-testid="item-handle"
        >
          <GripIcon />
        </button>
        <KindIcon kind={c.kind} />
        <div className="min-w-[10rem] flex-1">
          <p className="truncate text-sm font-medium text-slate-900">{item.title}</p>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-slate-500">
            <span>{tk(c.kind)}</span>
            {detail && (
              <>
                <span aria-hidden>·</span>
                <span className="max-w-56 truncate">{detail}</span>
              </>
            )}
            {!item.required && <Chip>{t('optionalChip')}</Chip>}
            {prerequisite && <Chip>{t('afterChip', { title: prerequisite.title })}</Chip>}
            {item.releaseAtLabel && <Chip>{t('opensChip', { date: item.releaseAtLabel })}</Chip>}
            {item.releaseAfterDays && <Chip>{t('daysChip', { days: Number(item.releaseAfterDays) })}</Chip>}
          </p>
        </div>
        <div className="ml-auto flex shrink-0 items-center">
          <button type="button" id={`move-up-${item.id}`} className={iconButton} aria-label={t('moveUp', { title: item.title })} title={t('moveUp', { title: item.title })} aria-disabled={first || locked || undefined} onClick={() => !first && onMove(item.id, -1)}>
            <ArrowIcon up />
          </button>
          <button type="button" id={`move-down-${item.id}`} className={iconButton} aria-label={t('moveDown', { title: item.title })} title={t('moveDown', { title: item.title })} aria-disabled={last || locked || undefined} onClick={() => !last && onMove(item.id, 1)}>
            <ArrowIcon />
          </button>
          <Button type="button" variant="ghost" className="px-2.5 py-1.5" aria-expanded={editing} aria-label={t('editLabel', { title: item.title })} onClick={() => setOpenForm(editing ? null : { type: 'edit', itemId: item.id })}>
            {t('edit')}
          </Button>
          <ConfirmAction
            action={actions.deleteItem}
            hidden={{ itemId: item.id }}
            trigger={t('delete')}
            triggerLabel={t('deleteLabel', { title: item.title })}
            triggerVariant="danger-ghost"
            triggerClassName="px-2.5 py-1.5"
            title={t('deleteTitle', { title: item.title })}
            body={t('deleteBody')}
            confirmLabel={t('deleteConfirm')}
            confirmVariant="danger"
            pendingLabel={t('deleting')}
            onDone={(s) => announce(s.message ?? '')}
          />
        </div>
      </div>
      {editing && (
        <div className="px-3 pb-4 sm:px-4">
          <ItemForm
            mode="edit"
            kind={c.kind}
            courseId={courseId}
            item={item}
            modules={modules}
            action={actions.updateItem}
            onDone={(s) => {
              setOpenForm(null);
              announce(s.message ?? '');
            }}
            onCancel={() => setOpenForm(null)}
          />
        </div>
      )}
    </li>
  );
}

function Chip({ children }: { children: ReactNode }) {
  return <span className="max-w-full truncate whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-[11px] font-medium text-slate-700">{children}</span>;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
