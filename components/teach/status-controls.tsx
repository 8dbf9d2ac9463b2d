'use client';

import type { ActionState } from '@/lib/auth/action-state';
import { StatusControls as PublishControls } from '@/components/ui/status-controls';
import type { CourseStatus } from './course-status-badge';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** A course's publish / unpublish / archive controls. */
export function StatusControls({ courseId, title, status, setStatus }: { courseId: string; title: string; status: CourseStatus; setStatus: Action }) {
  return <PublishControls messages="teach.settings.status" hidden={{ courseId }} title={title} status={status} action={setStatus} />;
}
