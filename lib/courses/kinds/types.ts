import type { Tx } from '@/db/client';

/** How a learner completes an item: by saying so, by watching ≥ 90 % of an uploaded video, by submitting a quiz attempt, or by handing in an assignment. */
export type Completion = 'manual' | 'watch' | 'attempt' | 'submission';

/**
 * One item kind (lesson, video, file, link; quizzes later): everything the domain needs to know about
 * it lives in its own module, registered once in `./index.ts`. The player renders it with the component
 * of the same name in `components/learn/items/`.
 */
export type ItemKindDefinition<C extends Record<string, unknown> = Record<string, unknown>> = {
  kind: string;
  /** Turn the author's raw input (form fields) into stored content, or throw a ValidationError. */
  parseContent(raw: Record<string, unknown>, deps: { tx: Tx; tenantId: string; courseId: string; previous?: C }): Promise<C>;
  completion(content: C): Completion;
  /** Re-clean stored content before it is rendered (rich text is sanitised on write and on render). */
  forDisplay?(content: C): Promise<C>;
  /** Object-store keys the content refers to (duplication, signing). */
  fileKeys?(content: C): string[];
};

export function defineKind<C extends Record<string, unknown>>(def: ItemKindDefinition<C>): ItemKindDefinition<C> {
  return def;
}
