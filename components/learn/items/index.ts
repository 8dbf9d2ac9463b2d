import { AssignmentItem } from './assignment';
import { FileItem } from './file';
import { LessonItem } from './lesson';
import { LinkItem } from './link';
import { QuizItem } from './quiz';
import type { ItemView } from './types';
import { VideoItem } from './video';

/** How the player shows each item kind (lib/courses/kinds has the other half). A new kind: one component, one line. */
export const ITEM_VIEWS: Record<string, ItemView> = {
  lesson: LessonItem,
  video: VideoItem,
  file: FileItem,
  link: LinkItem,
  quiz: QuizItem,
  assignment: AssignmentItem,
};

export type { ItemView, ItemViewProps } from './types';
