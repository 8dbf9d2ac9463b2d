'use client';

import type { ActionState } from '@/lib/auth/action-state';
import { StatusControls } from '@/components/ui/status-controls';
import type { ProgramStatus } from '@/lib/programs/service';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** A program's publish / back to draft / archive controls (what learners will see is in the confirmations). */
export function ProgramStatusControls({ programId, title, status, action }: { programId: string; title: string; status: ProgramStatus; action: Action }) {
  return <StatusControls messages="programs.status" hidden={{ programId }} title={title} status={status} action={action} />;
}
