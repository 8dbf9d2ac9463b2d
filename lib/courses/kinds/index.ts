import { ValidationError } from '@/lib/errors';
import { assignment } from './assignment';
import { file } from './file';
import { lesson } from './lesson';
import { link } from './link';
import { quiz } from './quiz';
import type { ItemKindDefinition } from './types';
import { video } from './video';

/** Every item kind, by name. Adding a kind (quiz, assignment) is a module here and a player component. */
const KINDS = { lesson, video, file, link, quiz, assignment } as const;

export type ItemKind = keyof typeof KINDS;
export const ITEM_KINDS = Object.keys(KINDS) as ItemKind[];

export function isItemKind(kind: string): kind is ItemKind {
  return Object.hasOwn(KINDS, kind);
}

export function itemKind(kind: string): ItemKindDefinition {
  if (!isItemKind(kind)) throw new ValidationError('unknownItemKind', { field: 'kind', params: { kind } });
  return KINDS[kind] as unknown as ItemKindDefinition;
}
