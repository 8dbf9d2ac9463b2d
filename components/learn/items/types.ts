import type { Completion } from '@/lib/courses/kinds/types';
import type { ReactNode } from 'react';
import type { ActionState } from '@/lib/auth/action-state';
import type { TenantRef } from '@/lib/auth/context';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** Server actions item renderers may call, handed down by the player page (components never import from app/). */
export type ItemActions = { submitAssignment: Action };

/** What the player gives every item renderer (content only when the item is unlocked). */
export type ItemViewProps = {
  tenant: TenantRef;
  courseSlug: string;
  item: { id: string; title: string; kind: string; completed: boolean };
  content: Record<string, unknown>;
  completion: Completion;
  /** Share of an uploaded video already watched, 0–1. */
  watched: number;
  /** Staff preview: nothing is recorded. */
  preview: boolean;
  actions: ItemActions;
};

export type ItemView = (props: ItemViewProps) => ReactNode | Promise<ReactNode>;
