import type { ActionState } from '@/lib/auth/action-state';

export type ItemKind = 'lesson' | 'video' | 'file' | 'link' | 'quiz' | 'assignment';
export const KINDS: ItemKind[] = ['lesson', 'video', 'file', 'link', 'quiz', 'assignment'];

export type StoredFile = { fileKey: string; filename: string; url: string; size: number };

/** What the editor needs of an item's content to show it and to fill its form. */
export type ItemContent =
  | { kind: 'lesson'; html: string }
  | { kind: 'video'; source: 'embed'; videoUrl: string; provider: 'youtube' | 'vimeo' }
  | ({ kind: 'video'; source: 'upload' } & StoredFile)
  | ({ kind: 'file' } & StoredFile)
  | { kind: 'link'; url: string; description: string }
  | ({ kind: 'quiz' } & QuizFormContent)
  | ({ kind: 'assignment' } & AssignmentFormContent);

/** A rubric as its editor holds it (points as text while typing). */
export type RubricForm = { id: string; title: string; description: string; levels: { id: string; title: string; points: string }[] }[];

/** An assignment's settings as its form holds them (numbers as text, dates as datetime-local values). */
export type AssignmentFormContent = {
  instructionsHtml: string;
  submissionTypes: ('text' | 'file' | 'url')[];
  pointsPossible: string;
  dueAt: string;
  latePenaltyPercent: string;
  cutoffDays: string;
  allowResubmission: boolean;
  rubric: RubricForm;
};

export type ResultsPolicy = 'immediately' | 'after_due' | 'never';

/** A quiz's settings as its form holds them (numbers as text, dates as datetime-local values). */
export type QuizFormContent = {
  questionIds: string[];
  pools: { tag: string; count: number }[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  attemptsAllowed: string;
  timeLimitMinutes: string;
  availableFrom: string;
  availableUntil: string;
  dueAt: string;
  passMark: string;
  showScore: ResultsPolicy;
  showAnswers: ResultsPolicy;
};

/** One question of the course's bank, as the quiz picker lists it. */
export type BankQuestion = { id: string; type: string; excerpt: string; tags: string[] };

export type OutlineItem = {
  id: string;
  title: string;
  required: boolean;
  prerequisiteItemId: string | null;
  /** datetime-local values, written by the server in its own time zone (it reads them back the same way). */
  releaseAt: string;
  releaseAfterDays: string;
  /** Formatted on the server (one time zone for the whole page). */
  releaseAtLabel: string | null;
  content: ItemContent;
};

export type OutlineModule = { id: string; title: string; items: OutlineItem[] };

/** The order the reorder action saves: every module, each with every one of its items. */
export type Order = { id: string; itemIds: string[] }[];

export type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

export type OutlineActions = {
  reorder: Action;
  addModule: Action;
  renameModule: Action;
  deleteModule: Action;
  addItem: Action;
  updateItem: Action;
  deleteItem: Action;
};

/** Which form is open: one at a time, so the page stays calm. */
export type OpenForm = { type: 'add'; moduleId: string; kind: ItemKind } | { type: 'edit'; itemId: string } | { type: 'rename'; moduleId: string } | null;
