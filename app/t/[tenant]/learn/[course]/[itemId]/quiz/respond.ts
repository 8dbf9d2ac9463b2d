import type { LearnerAttemptView } from '@/lib/assessment/attempts';
import { sanitizeRichText } from '@/lib/courses/sanitize';

/** The service's view as sent to the browser; prompts are rendered as HTML, so only ever the sanitiser's output. */
export async function forBrowser(view: LearnerAttemptView): Promise<LearnerAttemptView> {
  return { ...view, questions: await Promise.all(view.questions.map(async (q) => ({ ...q, promptHtml: await sanitizeRichText(q.promptHtml) }))) };
}
